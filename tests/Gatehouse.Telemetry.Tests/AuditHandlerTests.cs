using Gatehouse.Telemetry.Audit;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Telemetry.Tests;

public sealed class AuditHandlerTests : IDisposable
{
    private readonly string _directory = TestData.TempDirectory();
    private readonly (EcdsaCheckpointSigner Signer, CheckpointKeySet Keys) _keys = TestData.KeyPair();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> WriteFileAsync(string name, bool seal, params DecisionRecord[] records)
    {
        var path = Path.Combine(_directory, name);
        var writer = new RotatingFileWriter(new RotatingFileOptions { Path = path }, _keys.Signer);
        foreach (var record in records)
        {
            await writer.WriteAsync(record, DecisionLog.Serialize(record), CancellationToken.None);
        }

        await writer.FlushAsync(CancellationToken.None);
        if (seal)
        {
            await writer.DisposeAsync();
        }

        return path;
    }

    [Fact]
    public async Task VerifyHandler_AllSealed_ExitsZero()
    {
        var edge = await WriteFileAsync("edge.jsonl", seal: true, TestData.Record("a"));
        var output = new StringWriter();

        var exit = AuditVerifyHandler.Run([edge], _keys.Keys, allowUnsealed: false, output);

        Assert.Equal(0, exit);
        Assert.StartsWith($"OK        {edge} (1 records, checkpoint signed by test-key)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyHandler_UnsealedFile_ExitsTwoUnlessAllowed()
    {
        var open = await WriteFileAsync("edge.jsonl", seal: false, TestData.Record("a"));

        var strict = AuditVerifyHandler.Run([open], _keys.Keys, allowUnsealed: false, new StringWriter());
        var output = new StringWriter();
        var allowed = AuditVerifyHandler.Run([open], _keys.Keys, allowUnsealed: true, output);

        Assert.Equal(2, strict);
        Assert.Equal(0, allowed);
        Assert.StartsWith("UNSEALED", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyHandler_TamperedFile_ExitsOne()
    {
        var sealedFile = await WriteFileAsync("balancer.jsonl", seal: true, TestData.Record("a"), TestData.Record("b"));
        var lines = await File.ReadAllLinesAsync(sealedFile);
        lines[1] = lines[1].Replace("\"a\"", "\"x\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(sealedFile, lines);
        var output = new StringWriter();

        var exit = AuditVerifyHandler.Run([sealedFile], _keys.Keys, allowUnsealed: true, output);

        Assert.Equal(1, exit);
        Assert.Contains("FAILED", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("  line 3: chain broken", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowHandler_RequestId_JoinsBothFiles()
    {
        var edge = await WriteFileAsync("edge.jsonl", seal: true, TestData.Record("req-1", "edge", "forward"), TestData.Record("req-2"));
        var balancer = await WriteFileAsync("balancer.jsonl", seal: true, TestData.Record("req-1", "balancer", "deny"));
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = AuditShowHandler.Run([balancer, edge], new DecisionFilter { RequestId = "req-1" }, json: true, output, error);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exit);
        Assert.Equal(2, lines.Length);
        Assert.Equal("edge", DecisionLog.Deserialize(lines[0])!.Tier);
        Assert.Equal("balancer", DecisionLog.Deserialize(lines[1])!.Tier);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task ShowHandler_NoMatch_ExitsOne()
    {
        var edge = await WriteFileAsync("edge.jsonl", seal: true, TestData.Record("req-1"));
        var error = new StringWriter();

        var exit = AuditShowHandler.Run([edge], new DecisionFilter { Subject = "nobody" }, json: false, new StringWriter(), error);

        Assert.Equal(1, exit);
        Assert.Contains("no decision records match", error.ToString(), StringComparison.Ordinal);
    }
}
