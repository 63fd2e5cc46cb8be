namespace MaintenancePortal.Notices.Delivery;

/// <summary>What the templates (<c>Templates/mail.*.liquid</c>) are given: text already in the contact's zone and words, nothing to compute.</summary>
public sealed record MailModel(
    string Kind,
    string Title,
    string Intro,
    string Address,
    string TimeZone,
    IReadOnlyList<NoticeModel> Notices,
    IReadOnlyList<CountModel> Counts,
    int Unlisted,
    string PortalUrl,
    string? ConfirmUrl,
    string? UnsubscribeUrl);

/// <summary>One notice as a message shows it.</summary>
public sealed record NoticeModel(
    string Kind,
    string Headline,
    string Instance,
    string InstanceId,
    string PrivateIp,
    string Reason,
    string Action,
    string? NotBefore,
    string? LatestStart,
    string Deadline,
    string? PredictedPause,
    string Detail,
    string? MoveUrl,
    bool CanChange,
    ReceiptModel? Receipt,
    string? NoticeGiven);

/// <summary>The receipt of a completed move.</summary>
public sealed record ReceiptModel(string Method, string Pause, string TotalTime, int Rounds, string Transferred, string From, string To, bool IdAndIpKept);

/// <summary>How many notices of a kind a digest had.</summary>
public sealed record CountModel(string Kind, int Count);
