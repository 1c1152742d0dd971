using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Telemetry.Audit;

/// <summary>
/// Checks a hash-chained decision file (see <see cref="DecisionChain"/>): every line's <c>prev</c> against
/// the hash of the line before it, the header, and the checkpoint's counts and ES256 signature. Each link is
/// checked on its own, so one removed line yields one problem instead of a failure for every later line.
/// </summary>
public static class DecisionFileVerifier
{
    /// <summary>Problems reported per file; past it the rest are summarized in one last problem.</summary>
    public const int MaxProblems = 50;

    private const int NonceLength = 43;

    public static DecisionFileReport Verify(string path, ICheckpointKeyResolver keys) =>
        Verify(path, File.ReadAllBytes(path), keys);

    public static DecisionFileReport Verify(string path, byte[] content, ICheckpointKeyResolver keys)
    {
        var lines = SplitLines(content, out var incomplete);
        var state = new VerifierState(keys);
        string? note = null;
        if (incomplete is { } partial)
        {
            if (IsCheckpointStart(content.AsSpan(partial)))
            {
                state.Problem(lines.Count + 1, "checkpoint is truncated: the line ends before its closing brace and newline");
            }
            else
            {
                note = $"line {lines.Count + 1} is incomplete and was not checked; the writer may be in the middle of it";
            }
        }

        if (lines.Count == 0 && state.Problems.Count == 0)
        {
            return Report(path, state, DecisionFileState.Unsealed, note ?? "the file is empty");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var previous = i == 0 ? default : content.AsMemory(lines[i - 1]);
            state.CheckLine(i + 1, content.AsMemory(lines[i]), previous, isLast: i == lines.Count - 1);
        }

        var fileState = state.Problems.Count > 0 ? DecisionFileState.Invalid
            : state.Sealed ? DecisionFileState.Sealed
            : DecisionFileState.Unsealed;
        return Report(path, state, fileState, note);
    }

    private static DecisionFileReport Report(string path, VerifierState state, DecisionFileState fileState, string? note) => new()
    {
        Path = path,
        State = fileState,
        Records = state.Records,
        Dropped = state.Dropped,
        KeyId = state.KeyId,
        Problems = state.Problems,
        Note = fileState == DecisionFileState.Unsealed
            ? note ?? "no checkpoint: the file is still being written, or its writer stopped without sealing it"
            : note,
    };

    private static List<Range> SplitLines(byte[] content, out Range? incomplete)
    {
        var lines = new List<Range>();
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                lines.Add(start..i);
                start = i + 1;
            }
        }

        incomplete = start < content.Length ? start..content.Length : null;
        return lines;
    }

    private static bool IsCheckpointStart(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        return text.StartsWith("{\"prev\":\"", StringComparison.Ordinal)
            && text.Contains($"\"type\":\"{DecisionChain.CheckpointType}\"", StringComparison.Ordinal);
    }

    internal static bool IsNonce(string value) =>
        value.Length == NonceLength && Base64Url.IsValid(value, out var decodedLength) && decodedLength == 32;

    internal static bool VerifySignature(ECDsa key, byte[] payload, string signature) =>
        Base64Url.IsValid(signature) && key.VerifyData(
            payload, Base64Url.DecodeFromChars(signature), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    internal static JsonDocument? TryParse(ReadOnlyMemory<byte> line)
    {
        try
        {
            var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
