namespace MaintenancePortal.IntegrationTests.Chaos;

/// <summary>
/// The chaos run on real Azurite and RabbitMQ, three silos: bounded here (a few kills, one broker
/// outage); <c>infra/chaos.sh</c> runs it longer (CHAOS_ROUNDS) and writes its figures
/// (CHAOS_REPORT, a file the progress and the figures are appended to).
/// </summary>
public sealed class ChaosTests(DurableServices services) : IClassFixture<DurableServices>
{
    [Fact]
    public async Task After_silos_are_killed_and_the_broker_stops_mid_wave_everything_owed_is_delivered_and_nothing_is_held()
    {
        var report = Environment.GetEnvironmentVariable("CHAOS_REPORT");
        void Log(string line)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
            if (report is { Length: > 0 })
            {
                File.AppendAllText(report, $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
            }
        }

        var figures = await new ChaosRun(services, ChaosOptions.FromEnvironment(), Log).RunAsync();

        Log(figures.ToMarkdown());
        Assert.True(figures.Kills >= 1 && figures.BrokerOutages >= 1);
        Assert.All(figures.OwedClearedAfterRecovery.Zip(figures.DrainedAfterRecovery),
            f => Assert.True(f.First - f.Second <= ChaosRun.OwedBound));
    }
}
