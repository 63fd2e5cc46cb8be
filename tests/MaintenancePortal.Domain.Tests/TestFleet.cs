using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Domain.Tests;

/// <summary>Small fleets for tests.</summary>
internal static class TestFleet
{
    public static DedicatedHostSpec Host(string id, string? tenant = "t1", string family = "m7", int vcpus = 64, long memoryMiB = 262_144) =>
        new(id, tenant, family, "zone-a", new Resources(vcpus, memoryMiB), 1250);

    public static InstanceSpec Instance(string id, string tenant = "t1", string family = "m7", int vcpus = 4, long memoryMiB = 16_384) =>
        new(id, tenant, id + "-name", family, new Resources(vcpus, memoryMiB), "10.0.0." + (id.GetHashCode() & 0xff), 50, 1024);
}
