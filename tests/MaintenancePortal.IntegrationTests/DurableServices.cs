using MaintenancePortal.Tests.Shared;
using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Testcontainers.RabbitMq;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// Azurite and RabbitMQ for the durable profile: the ones ./test.sh started (their connection
/// strings in MAINTENANCEPORTAL_STORAGE and MAINTENANCEPORTAL_RABBITMQ), else containers when a
/// Docker engine is there. Without either the tests fail: they never skip.
/// </summary>
public sealed class DurableServices : IAsyncLifetime
{
    // Azurite's well-known development account (public, the same in every Azurite).
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private IContainer? _azurite;
    private RabbitMqContainer? _rabbitMq;
    private string? _servicesDirectory;

    public string Storage { get; private set; } = "";

    public string RabbitMq { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var storage = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_STORAGE");
        var rabbitMq = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_RABBITMQ");
        if (storage is { Length: > 0 } && rabbitMq is { Length: > 0 })
        {
            (Storage, RabbitMq) = (storage, rabbitMq);
            _servicesDirectory = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_SERVICES_DIR");
            return;
        }

        try
        {
            _azurite = new ContainerBuilder("mcr.microsoft.com/azure-storage/azurite:3.35.0")
                .WithCommand("azurite-table", "--tableHost", "0.0.0.0", "--skipApiVersionCheck", "--loose")
                .WithPortBinding(10002, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(10002))
                .Build();
            _rabbitMq = new RabbitMqBuilder("rabbitmq:3.13-alpine").Build();
            await Task.WhenAll(_azurite.StartAsync(), _rabbitMq.StartAsync());
            Storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};"
                      + $"TableEndpoint=http://{_azurite.Hostname}:{_azurite.GetMappedPublicPort(10002)}/devstoreaccount1;";
            RabbitMq = _rabbitMq.GetConnectionString();
        }
        catch (DockerUnavailableException ex)
        {
            throw new InvalidOperationException(
                "The integration tests need Azurite and RabbitMQ: run ./test.sh, which starts both and sets MAINTENANCEPORTAL_STORAGE "
                + "and MAINTENANCEPORTAL_RABBITMQ, or run them where a Docker engine can start containers.", ex);
        }
    }

    /// <summary>
    /// Settings for a server in the durable profile, signing people in with the local OpenID
    /// provider; servers given the same <paramref name="serviceId"/> share one cluster and its state.
    /// </summary>
    public Dictionary<string, string> ServerSettings(string serviceId)
    {
        var settings = LocalOpenIdProvider.ServerSettings();
        settings["MaintenancePortal__Profile"] = "Durable";
        settings["ConnectionStrings__Storage"] = Storage;
        settings["ConnectionStrings__RabbitMq"] = RabbitMq;
        settings["Orleans__ServiceId"] = serviceId;
        settings["Orleans__ClusterId"] = serviceId;
        settings["Orleans__Membership__NumVotesForDeathDeclaration"] = "1";
        return settings;
    }

    /// <summary>
    /// Takes the broker away (its port closes, every connection drops) or brings it back, with its
    /// durable queues and the messages in them, as after a broker restart.
    /// </summary>
    public async Task SetBrokerRunningAsync(bool running)
    {
        var action = running ? "start_app" : "stop_app";
        if (_rabbitMq is not null)
        {
            var result = await _rabbitMq.ExecAsync(["rabbitmqctl", action]);
            Assert.True(result.ExitCode == 0, $"rabbitmqctl {action}: {result.Stderr}");
            return;
        }

        Assert.True(_servicesDirectory is { Length: > 0 },
            "MAINTENANCEPORTAL_SERVICES_DIR is not set: start the services with ./test.sh (infra/services.sh) to stop and start the broker.");
        var script = Path.Combine(Tests.Shared.Repository.Root(), "infra", "services.sh");
        using var process = Process.Start(new ProcessStartInfo("bash",
            ["-c", "source \"$0\" && services_rabbitmqctl \"$1\" \"$2\"", script, _servicesDirectory, action])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"rabbitmqctl {action}: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (_rabbitMq is not null)
        {
            await _rabbitMq.DisposeAsync();
        }
    }
}
