using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Tests.Configuration;

// A real edge whose decision log is built from its edge.toml [decisions] section, as the CLI builds it.
public sealed class DecisionsSyslogTests
{
    [Fact]
    public async Task DecisionsSyslog_EdgeRequest_ReachesUdpListener()
    {
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;
        await using var origin = await EchoOrigin.StartAsync();
        var keyDirectory = Directory.CreateTempSubdirectory("gh-edge-syslog-").FullName;
        try
        {
            var config = EdgeConfigLoader.Parse($"""
                [balancer]
                url = "{origin.Address}"

                [[routes]]
                prefix = "/api/public/"
                kind = "public"

                [decisions]
                syslog = "udp://127.0.0.1:{port}"
                syslog_facility = "local4"
                """, Path.Combine(keyDirectory, "edge.toml"), new Dictionary<string, string>());
            var ring = KeyRing.OpenDirectory(keyDirectory);
            await using var decisions = DecisionLog.Create(config.Decisions, NullLogger.Instance);
            await using var edge = await EdgeHost.StartAsync(
                config,
                new EdgeHostOptions
                {
                    LoggerFactory = NullLoggerFactory.Instance,
                    Decisions = decisions,
                    Assertions = new EdgeAssertionIssuer(ring),
                    PublicJwks = ring.PublicJwksJson,
                    Listen = "127.0.0.1:0",
                },
                CancellationToken.None);

            var (status, _) = await RawHttp.SendAsync(edge.Address, "/api/public/syslog-probe");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var datagram = await listener.ReceiveAsync(timeout.Token);
            var message = Encoding.UTF8.GetString(datagram.Buffer);

            Assert.Equal(200, status);
            Assert.StartsWith("<166>1 ", message, StringComparison.Ordinal);
            Assert.Contains(" gatehouse ", message, StringComparison.Ordinal);
            Assert.Contains("\"tier\":\"edge\"", message, StringComparison.Ordinal);
            Assert.Contains("\"path\":\"/api/public/syslog-probe\"", message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(keyDirectory, recursive: true);
        }
    }
}
