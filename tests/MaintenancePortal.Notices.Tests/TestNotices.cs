using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Notices.Delivery;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MaintenancePortal.Notices.Tests;

/// <summary>Contacts, moves and notices to compose, and a composer on a fixed clock.</summary>
internal static class TestNotices
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static readonly Uri Portal = new("https://portal.example/");

    public static NoticeContact Contact(NoticeCadence cadence = NoticeCadence.Immediate, string zone = "Asia/Tokyo") =>
        NoticeContact.Create("ct_1", "northwind", "ops@northwind.example", Enum.GetValues<NoticeKind>(), cadence, 7, zone, Now).Confirm(Now);

    public static InstanceMove Move(string instanceId = "i-0001", string name = "web-1", MoveAction action = MoveAction.LiveMigration,
        bool awaitNotice = false)
    {
        var instance = new InstanceSpec(instanceId, "northwind", name, "m7", new Resources(4, 16_384), "10.0.0.7", 50, 1024);
        var decision = new MoveDecision(action, Now.AddMinutes(15), Now.AddHours(20), "Live migration.")
        {
            Prediction = new MovePrediction(TimeSpan.FromMilliseconds(42), TimeSpan.FromMinutes(3)),
        };
        return InstanceMove.Schedule($"mv-{instanceId}", "m-1", instance, MaintenanceReason.FirmwareUpdate, "h-1", "h-2", Now, Now.AddHours(24), decision, awaitNotice);
    }

    public static Notice Scheduled(InstanceMove move) => Notice.Of(Guid.NewGuid(), NoticeKind.Scheduled, Now, MoveSummary.Of(move), move.Why);

    public static NoticeComposer Composer() =>
        new(Options.Create(new NoticeOptions()), new FixedPortal(Portal), new FakeTimeProvider(Now));

    public static ContactLinks Links { get; } = new(new Uri(Portal, "notices/confirm/c0nf1rm"), new Uri(Portal, "notices/unsubscribe/uns7b"));

    public sealed class FixedPortal(Uri address) : IPortalAddress
    {
        public Uri Base => address;
    }
}
