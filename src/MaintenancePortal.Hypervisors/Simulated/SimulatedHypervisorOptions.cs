namespace MaintenancePortal.Hypervisors.Simulated;

/// <summary>Settings of the simulated hypervisor, bound from "Hypervisor:Simulated".</summary>
public sealed class SimulatedHypervisorOptions
{
    public const string SectionName = "Hypervisor:Simulated";

    /// <summary>How much faster than real time migrations run (10 makes a 30 s copy take 3 s).</summary>
    public double SpeedUp { get; set; } = 10;

    /// <summary>How long a reboot-based move keeps the instance stopped, in model time.</summary>
    public TimeSpan RebootDuration { get; set; } = TimeSpan.FromMinutes(2);
}
