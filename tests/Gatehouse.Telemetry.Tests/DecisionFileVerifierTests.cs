using System.Text;
using Gatehouse.Telemetry.Audit;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Telemetry.Decisions.Sinks;

namespace Gatehouse.Telemetry.Tests;

public sealed class DecisionFileVerifierTests : IDisposable
{
    private readonly string _directory = TestData.TempDirectory();
    private readonly (EcdsaCheckpointSigner Signer, CheckpointKeySet Keys) _keys = TestData.KeyPair();

    private string FilePath => Path.Combine(_directory, "balancer-decisions.jsonl");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Line 1 is the header, lines 2-6 the records r1..r5, line 7 the checkpoint.
    private async Task<List<string>> WriteSealedFileAsync(ICheckpointSigner? signer = null)
    {
        await using (var writer = new RotatingFileWriter(new RotatingFileOptions { Path = FilePath }, signer ?? _keys.Signer))
        {
            for (var i = 1; i <= 5; i++)
            {
                var record = TestData.Record($"r{i}", tier: "balancer");
                await writer.WriteAsync(record, DecisionLog.Serialize(record), CancellationToken.None);
            }
        }

        return [.. await File.ReadAllLinesAsync(FilePath)];
    }

    private DecisionFileReport VerifyLines(IEnumerable<string> lines, ICheckpointKeyResolver? keys = null) =>
        DecisionFileVerifier.Verify(FilePath, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), keys ?? _keys.Keys);

    private static string Hash(string line) => DecisionChain.Hash(Encoding.UTF8.GetBytes(line));

    [Fact]
    public async Task Verify_UntouchedFile_Sealed()
    {
        var lines = await WriteSealedFileAsync();

        var report = VerifyLines(lines);

        Assert.Equal(7, lines.Count);
        Assert.Equal(DecisionFileState.Sealed, report.State);
        Assert.Empty(report.Problems);
        Assert.Equal(5, report.Records);
        Assert.Equal("test-key", report.KeyId);
    }

    [Fact]
    public async Task Verify_OneByteEdited_ReportsNextLine()
    {
        var lines = await WriteSealedFileAsync();
        lines[2] = lines[2].Replace("\"status\":200", "\"status\":201", StringComparison.Ordinal);

        var report = VerifyLines(lines);

        Assert.Equal(DecisionFileState.Invalid, report.State);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Contains("line 3 was edited", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LineDeleted_ReportsGapAndCount()
    {
        var lines = await WriteSealedFileAsync();
        lines.RemoveAt(3);

        var report = VerifyLines(lines);

        Assert.Equal(DecisionFileState.Invalid, report.State);
        Assert.Equal(2, report.Problems.Count);
        Assert.Equal(4, report.Problems[0].Line);
        Assert.Contains("chain broken", report.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(6, report.Problems[1].Line);
        Assert.Contains("checkpoint counts 5 records but the file has 4", report.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LinesSwapped_ReportsBothLinks()
    {
        var lines = await WriteSealedFileAsync();
        (lines[2], lines[3]) = (lines[3], lines[2]);

        var report = VerifyLines(lines);

        Assert.Equal(DecisionFileState.Invalid, report.State);
        Assert.Equal([3, 4, 5], report.Problems.Select(p => p.Line));
    }

    [Fact]
    public async Task Verify_ForgedLineInserted_ReportsLineAfterIt()
    {
        var lines = await WriteSealedFileAsync();
        // The forger chains the new line correctly to line 2 but cannot change what line 3 already holds.
        var forged = DecisionChain.RecordLine(Hash(lines[1]), DecisionLog.Serialize(TestData.Record("forged", "balancer")));
        lines.Insert(2, Encoding.UTF8.GetString(forged));

        var report = VerifyLines(lines);

        Assert.Equal(DecisionFileState.Invalid, report.State);
        Assert.Equal(4, report.Problems[0].Line);
        Assert.Contains("checkpoint counts 5 records but the file has 6", report.Problems[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ForgedTailWithRechainedCheckpoint_SignatureFails()
    {
        var lines = await WriteSealedFileAsync();
        var checkpoint = lines[^1];
        lines.RemoveAt(lines.Count - 1);
        var forged = Encoding.UTF8.GetString(
            DecisionChain.RecordLine(Hash(lines[^1]), DecisionLog.Serialize(TestData.Record("forged", "balancer"))));
        lines.Add(forged);
        var oldPrev = checkpoint.Split('"')[3];
        lines.Add(checkpoint.Replace(oldPrev, Hash(forged), StringComparison.Ordinal)
            .Replace("\"count\":5", "\"count\":6", StringComparison.Ordinal));

        var report = VerifyLines(lines);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(8, problem.Line);
        Assert.Contains("signature does not verify", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointTruncated_ReportsTruncation()
    {
        await WriteSealedFileAsync();
        var bytes = await File.ReadAllBytesAsync(FilePath);

        var report = DecisionFileVerifier.Verify(FilePath, bytes[..^20], _keys.Keys);

        Assert.Equal(DecisionFileState.Invalid, report.State);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(7, problem.Line);
        Assert.Contains("checkpoint is truncated", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CheckpointRemoved_Unsealed()
    {
        var lines = await WriteSealedFileAsync();
        lines.RemoveAt(lines.Count - 1);

        var report = VerifyLines(lines);

        Assert.Equal(DecisionFileState.Unsealed, report.State);
        Assert.Empty(report.Problems);
        Assert.Contains("no checkpoint", report.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnknownSigningKey_Reported()
    {
        var lines = await WriteSealedFileAsync();

        var report = VerifyLines(lines, new CheckpointKeySet());

        Assert.Equal(DecisionFileState.Invalid, report.State);
        var problem = Assert.Single(report.Problems);
        Assert.Contains("unknown key 'test-key'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OtherKeyWithSameKid_SignatureFails()
    {
        var impostor = TestData.KeyPair("test-key").Signer;
        var lines = await WriteSealedFileAsync(impostor);

        var report = VerifyLines(lines);

        var problem = Assert.Single(report.Problems);
        Assert.Contains("signature does not verify with key 'test-key'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnsignedCheckpoint_Reported()
    {
        await using (var writer = new RotatingFileWriter(new RotatingFileOptions { Path = FilePath }))
        {
            var record = TestData.Record("r1");
            await writer.WriteAsync(record, DecisionLog.Serialize(record), CancellationToken.None);
        }

        var report = DecisionFileVerifier.Verify(FilePath, _keys.Keys);

        var problem = Assert.Single(report.Problems);
        Assert.Contains("checkpoint is not signed", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_HeaderRemoved_ReportsLineOne()
    {
        var lines = await WriteSealedFileAsync();
        lines.RemoveAt(0);

        var report = VerifyLines(lines);

        Assert.Equal(DecisionFileState.Invalid, report.State);
        Assert.Equal(1, report.Problems[0].Line);
        Assert.Contains("not a header", report.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LineAppendedAfterCheckpoint_Reported()
    {
        var lines = await WriteSealedFileAsync();
        lines.Add(Encoding.UTF8.GetString(
            DecisionChain.RecordLine(Hash(lines[^1]), DecisionLog.Serialize(TestData.Record("late", "balancer")))));

        var report = VerifyLines(lines);

        var problem = Assert.Single(report.Problems);
        Assert.Equal(7, problem.Line);
        Assert.Contains("not the last line", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_JwksKeySet_ResolvesKid()
    {
        var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var point = key.ExportParameters(false).Q;
        var jwks = $$"""{"keys":[{"kty":"EC","crv":"P-256","kid":"jwks-key","x":"{{System.Buffers.Text.Base64Url.EncodeToString(point.X)}}","y":"{{System.Buffers.Text.Base64Url.EncodeToString(point.Y)}}"}]}""";
        var keys = new CheckpointKeySet();
        keys.AddJwks(jwks);
        var lines = await WriteSealedFileAsync(new EcdsaCheckpointSigner("jwks-key", key));

        var report = VerifyLines(lines, keys);

        Assert.Equal(DecisionFileState.Sealed, report.State);
        Assert.Equal(1, keys.Count);
    }
}
