namespace MaintenancePortal.Domain.Audit;

/// <summary>The actions the audit trail records, by name.</summary>
public static class AuditActions
{
    public const string SignIn = "account.signin";
    public const string SignInRefused = "account.signin.refused";
    public const string SignOut = "account.signout";

    public const string MaintenanceStart = "maintenance.start";
    public const string MaintenanceCancel = "maintenance.cancel";
    public const string MaintenanceComplete = "maintenance.complete";
    public const string MigrationAbort = "migration.abort";
    public const string MigrationForceComplete = "migration.force-complete";

    public const string MoveReschedule = "move.reschedule";
    public const string MoveApprove = "move.approve";
    public const string PreferencesSet = "preferences.set";
    public const string MetadataAddressRotate = "instance.metadata-address.rotate";
    public const string CalendarAddressRotate = "calendar.address.rotate";

    public const string WebhookCreate = "webhook.create";
    public const string WebhookUpdate = "webhook.update";
    public const string WebhookDelete = "webhook.delete";
    public const string WebhookCheck = "webhook.check";
    public const string WebhookEnable = "webhook.enable";
    public const string WebhookDisable = "webhook.disable";
    public const string WebhookSecretReveal = "webhook.secret.reveal";
    public const string WebhookSecretRotate = "webhook.secret.rotate";
    public const string WebhookTest = "webhook.test";
    public const string WebhookReplay = "webhook.replay";

    public const string ContactCreate = "notice.contact.create";
    public const string ContactUpdate = "notice.contact.update";
    public const string ContactDelete = "notice.contact.delete";
    public const string ContactResendConfirmation = "notice.contact.confirmation.resend";

    public const string KeyCreate = "key.create";
    public const string KeyRevoke = "key.revoke";
}
