namespace MaintenancePortal.Tests.Shared;

/// <summary>Waits for something that happens in the background (grain timers, the bus, another process).</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test, with <paramref name="what"/>, when it never does.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? what = null)
    {
        for (var deadline = DateTime.UtcNow + timeout; ;)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(what?.Invoke() ?? $"The condition was not met in {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
