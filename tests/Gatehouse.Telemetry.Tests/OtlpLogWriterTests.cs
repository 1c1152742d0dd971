using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;
using Gatehouse.Telemetry.Tests.Tracing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Telemetry.Tests;

public sealed class OtlpLogWriterTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";

    private static DecisionRecord Record(string requestId) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Tier = "edge",
        RequestId = requestId,
        TraceId = TraceId,
        SpanId = SpanId,
        Method = "GET",
        Path = "/admin",
        Decision = "deny",
        Rule = "route /admin/",
        Reason = "token expired",
        Status = 403,
    };

    [Fact]
    public async Task OtlpLogWriter_Record_ExportsLogRecord()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        await using (var writer = new OtlpLogWriter(new OtlpLogOptions(receiver.Address, "gatehouse-edge-test")))
        {
            var record = Record(requestId);
            await writer.WriteAsync(record, DecisionLog.Serialize(record), CancellationToken.None);
            await writer.FlushAsync(CancellationToken.None);
        }

        var post = await receiver.WaitForAsync("/v1/logs", Encoding.UTF8.GetBytes(requestId));
        Assert.Equal("application/x-protobuf", post.ContentType);
        Assert.True(Contains(post.Body, Convert.FromHexString(TraceId)), "trace id missing from the log record");
        Assert.True(Contains(post.Body, Convert.FromHexString(SpanId)), "span id missing from the log record");
        Assert.True(Contains(post.Body, "gatehouse-edge-test"u8.ToArray()), "service.name missing from the resource");
        foreach (var text in new[] { "gatehouse.decision", "gatehouse.request_id", "gatehouse.tier", "gatehouse.rule", "route /admin/",
            "http.response.status_code", "\"decision\":\"deny\"" })
        {
            Assert.True(Contains(post.Body, Encoding.UTF8.GetBytes(text)), $"'{text}' missing from the export");
        }
    }

    [Fact]
    public async Task OtlpLogWriter_CollectorDown_CountsFailedRecords()
    {
        var port = ClosedPort();
        var sinks = new DecisionSinkOptions
        {
            Otlp = [new OtlpLogOptions(new Uri($"http://127.0.0.1:{port}"), "gatehouse-test") { ExportTimeout = TimeSpan.FromSeconds(5) }],
        };
        await using var log = DecisionLog.Create(sinks, NullLogger.Instance);

        log.Write(Record("r1"));
        log.Write(Record("r2"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Otlp(log).Failed < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, Otlp(log).Failed);
        Assert.Equal(0, log.Status.Single(s => s.Name == "logger").Failed);
    }

    [Fact]
    public async Task Create_Sinks_BuildsOneWriterEach()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-sinks-");
        try
        {
            var sinks = new DecisionSinkOptions
            {
                Files = [new RotatingFileOptions { Path = Path.Combine(directory.FullName, "extra.jsonl") }],
                Syslog = [new SyslogOptions { Host = "127.0.0.1", Port = 5514 }],
                Otlp = [new OtlpLogOptions(new Uri("http://127.0.0.1:4318"), "gatehouse-test")],
                QueueCapacity = 8,
            };
            await using var log = DecisionLog.Create(sinks, NullLogger.Instance, Path.Combine(directory.FullName, "edge.jsonl"));

            var names = log.Status.Select(s => s.Name).ToList();
            Assert.Equal(5, names.Count);
            Assert.Contains("logger", names);
            Assert.Contains("syslog udp 127.0.0.1:5514", names);
            Assert.Contains("otlp http://127.0.0.1:4318/v1/logs", names);
            Assert.Equal(Path.Combine(directory.FullName, "edge.jsonl"), log.FilePath);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static DecisionWriterStatus Otlp(DecisionLog log) => log.Status.Single(s => s.Name.StartsWith("otlp ", StringComparison.Ordinal));

    private static bool Contains(byte[] body, byte[] bytes) => body.AsSpan().IndexOf(bytes) >= 0;

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
