using System.Threading.RateLimiting;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// Bounds how fast one address may try keys that are refused (unknown, revoked, expired, malformed):
/// each refusal takes a permit of the address's token bucket, and while the bucket is empty every key
/// from the address is refused (429) before anything is looked up, so made-up keys cannot make the
/// cluster read storage at the caller's pace. Keys that are accepted take nothing.
/// </summary>
public sealed class RefusedKeyLimiter(AccessExtensions.RateLimitSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.RefusedKeysBurst,
            TokensPerPeriod = settings.RefusedKeysPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Whether the address has used up its refusals for now.</summary>
    public bool IsBlocked(string address) => _limiter.GetStatistics(address) is { CurrentAvailablePermits: <= 0 };

    /// <summary>Counts a refused key against the address.</summary>
    public void Refused(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
    }

    public void Dispose() => _limiter.Dispose();
}
