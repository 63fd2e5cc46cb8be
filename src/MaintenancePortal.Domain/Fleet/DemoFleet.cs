namespace MaintenancePortal.Domain.Fleet;

/// <summary>The size of the seeded demo fleet, bound from the "DemoFleet" configuration section.</summary>
public sealed class DemoFleetOptions
{
    public const string SectionName = "DemoFleet";

    public int Tenants { get; set; } = 4;

    public int HostsPerTenant { get; set; } = 10;

    public int SpareHosts { get; set; } = 6;

    /// <summary>How full each tenant host starts, as a share of its memory (the rest is room for drains).</summary>
    public double MinFill { get; set; } = 0.55;

    public double MaxFill { get; set; } = 0.75;

    /// <summary>Migration bandwidth of each host NIC (1,250 MiB/s is 10 Gbit/s).</summary>
    public double MigrationBandwidthMiBps { get; set; } = 1250;

    public int Seed { get; set; } = 20261125;

    /// <summary>Maintenance events started when the fleet is seeded, so progress shows at once.</summary>
    public int StartMaintenanceOnStartup { get; set; } = 2;
}

/// <summary>An instance and the host it starts on.</summary>
public sealed record InstancePlacement(InstanceSpec Instance, string HostId);

/// <summary>
/// A deterministic, realistic-looking fleet: tenants with dedicated hosts of two instance families,
/// instances of varied sizes and write rates, and a pool of unassigned spare hosts.
/// </summary>
public sealed record DemoFleet(
    IReadOnlyList<TenantSpec> Tenants,
    IReadOnlyList<DedicatedHostSpec> Hosts,
    IReadOnlyList<InstancePlacement> Instances)
{
    private static readonly (string Id, string Name)[] TenantNames =
    [
        ("contoso", "Contoso"), ("fabrikam", "Fabrikam"), ("northwind", "Northwind Traders"),
        ("tailspin", "Tailspin Toys"), ("woodgrove", "Woodgrove Bank"), ("litware", "Litware"),
        ("adatum", "A. Datum"), ("proseware", "Proseware"),
    ];

    /// <summary>Families: general purpose (4 GiB per vCPU) and memory optimised (8 GiB per vCPU).</summary>
    private static readonly (string Family, int GiBPerVCpu)[] Families = [("m7", 4), ("r7", 8)];

    private static readonly (string Workload, double MinMiBps, double MaxMiBps)[] Workloads =
    [
        ("web", 2, 40), ("api", 10, 120), ("batch", 20, 200), ("cache", 80, 400), ("db", 150, 700),
    ];

    private static readonly int[] VCpuChoices = [2, 2, 2, 4, 4, 4, 8, 8, 16];

    private const int HostVCpus = 64;

    public static DemoFleet Generate(DemoFleetOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Tenants, TenantNames.Length);
        var random = new Random(options.Seed);
        var tenants = TenantNames.Take(options.Tenants).Select(t => new TenantSpec(t.Id, t.Name)).ToList();
        var hosts = new List<DedicatedHostSpec>();
        var instances = new List<InstancePlacement>();

        for (var t = 0; t < tenants.Count; t++)
        {
            var tenant = tenants[t];
            var names = new Dictionary<string, int>();
            for (var h = 0; h < options.HostsPerTenant; h++)
            {
                var (family, gibPerVCpu) = Families[h % Families.Length];
                var host = NewHost($"h-{tenant.TenantId}-{h + 1:D2}", tenant.TenantId, family, gibPerVCpu, h, options);
                hosts.Add(host);

                var target = host.Capacity.MemoryMiB * (options.MinFill + random.NextDouble() * (options.MaxFill - options.MinFill));
                var used = Resources.None;
                while (true)
                {
                    var vcpus = VCpuChoices[random.Next(VCpuChoices.Length)];
                    var size = new Resources(vcpus, vcpus * gibPerVCpu * 1024L);
                    if ((used + size).MemoryMiB > target)
                    {
                        break;
                    }

                    used += size;
                    var (workload, min, max) = Workloads[random.Next(Workloads.Length)];
                    var n = names[workload] = names.GetValueOrDefault(workload) + 1;
                    var ordinal = instances.Count(i => i.Instance.TenantId == tenant.TenantId);
                    var dirty = Math.Round(min * Math.Pow(max / min, random.NextDouble()), 1);
                    var wws = (long)(size.MemoryMiB * (0.05 + random.NextDouble() * 0.2));
                    instances.Add(new InstancePlacement(
                        new InstanceSpec(NewInstanceId(random), tenant.TenantId, $"{workload}-{n:D2}", family, size,
                            $"10.{t + 1}.{ordinal / 250}.{ordinal % 250 + 4}", dirty, wws),
                        host.HostId));
                }
            }
        }

        for (var s = 0; s < options.SpareHosts; s++)
        {
            var (family, gibPerVCpu) = Families[s % Families.Length];
            hosts.Add(NewHost($"h-spare-{s + 1:D2}", null, family, gibPerVCpu, s, options));
        }

        return new DemoFleet(tenants, hosts, instances);
    }

    private static DedicatedHostSpec NewHost(string id, string? tenantId, string family, int gibPerVCpu, int index,
        DemoFleetOptions options) =>
        new(id, tenantId, family, $"zone-{(char)('a' + index % 3)}",
            new Resources(HostVCpus, HostVCpus * gibPerVCpu * 1024L), options.MigrationBandwidthMiBps);

    /// <summary>IDs in the familiar "i-" plus 17 hex digits form.</summary>
    private static string NewInstanceId(Random random)
    {
        Span<byte> bytes = stackalloc byte[9];
        random.NextBytes(bytes);
        return "i-" + Convert.ToHexStringLower(bytes)[..17];
    }
}
