using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Telemetry.Tests;

public sealed class SyslogWriterTests
{
    private static readonly DateTimeOffset RecordTime = new(2025, 6, 1, 12, 30, 45, 123, TimeSpan.Zero);

    private static DecisionRecord Record(string id)
    {
        var record = TestData.Record(id);
        return new DecisionRecord
        {
            Time = RecordTime.AddTicks(4567),
            Tier = record.Tier,
            RequestId = id,
            Decision = "deny",
            Status = 403,
        };
    }

    private static string ExpectedMessage(string id) =>
        $"<134>1 2025-06-01T12:30:45.123456Z test-host gatehouse {Environment.ProcessId} decision - {DecisionLog.Serialize(Record(id))}";

    [Fact]
    public async Task SyslogUdp_Write_SendsRfc5424Datagram()
    {
        using var listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)listener.Client.LocalEndPoint!).Port;
        await using var writer = new SyslogWriter(new SyslogOptions { Host = "127.0.0.1", Port = port, HostName = "test-host" });

        await writer.WriteAsync(Record("a1"), DecisionLog.Serialize(Record("a1")), CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var datagram = await listener.ReceiveAsync(timeout.Token);

        Assert.Equal(ExpectedMessage("a1"), Encoding.UTF8.GetString(datagram.Buffer));
    }

    [Fact]
    public async Task SyslogTcp_Write_FramesByOctetCounting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = new SyslogOptions { Host = "127.0.0.1", Port = port, Transport = SyslogTransport.Tcp, HostName = "test host\u00e9" };
        await using var writer = new SyslogWriter(options);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accept = listener.AcceptTcpClientAsync(timeout.Token);
        await writer.WriteAsync(Record("t1"), DecisionLog.Serialize(Record("t1")), CancellationToken.None);
        await writer.WriteAsync(Record("t2"), DecisionLog.Serialize(Record("t2")), CancellationToken.None);
        using var client = await accept;
        var stream = client.GetStream();
        var first = await ReadFrameAsync(stream, timeout.Token);
        var second = await ReadFrameAsync(stream, timeout.Token);

        // Spaces and non-ASCII characters are not allowed in HOSTNAME, so they are left out.
        Assert.Equal(ExpectedMessage("t1").Replace("test-host", "testhost", StringComparison.Ordinal), first);
        Assert.Equal(ExpectedMessage("t2").Replace("test-host", "testhost", StringComparison.Ordinal), second);
    }

    [Fact]
    public void SyslogFormatter_Facility_SetsPriority()
    {
        var message = SyslogFormatter.Format(facility: 4, hostName: "", processId: 42, RecordTime, "{}");

        Assert.Equal("<38>1 2025-06-01T12:30:45.123000Z - gatehouse 42 decision - {}", message);
    }

    [Fact]
    public async Task SyslogTcp_NoServer_CountsFailure()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var logger = new CollectingLogger();
        var writer = new SyslogWriter(new SyslogOptions { Host = "127.0.0.1", Port = port, Transport = SyslogTransport.Tcp });

        await using (var log = new DecisionLog([writer], logger))
        {
            log.Write(Record("lost"));
            Assert.True(await TestData.PollAsync(() => log.Status[0].Failed == 1));
        }

        Assert.Equal(1, logger.Count(1003));
    }

    // Reads "LEN SP MSG" and returns MSG.
    private static async Task<string> ReadFrameAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == (byte)' ')
            {
                break;
            }

            Assert.InRange(one[0], (byte)'0', (byte)'9');
            length = (length * 10) + (one[0] - '0');
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return Encoding.UTF8.GetString(body);
    }
}
