using System.Text.Json;

namespace Gatehouse.Telemetry.Audit;

/// <summary>Running state of <see cref="DecisionFileVerifier"/> over one file's lines.</summary>
internal sealed class VerifierState(ICheckpointKeyResolver keys)
{
    private readonly List<VerificationProblem> _problems = [];
    private int _unreported;

    public IReadOnlyList<VerificationProblem> Problems =>
        _unreported == 0 ? _problems : [.. _problems, new VerificationProblem(0, $"{_unreported} more problems not shown")];

    public long Records { get; private set; }

    public long Dropped { get; private set; }

    public bool Sealed { get; private set; }

    public string? KeyId { get; private set; }

    public void Problem(int line, string message)
    {
        if (_problems.Count < DecisionFileVerifier.MaxProblems)
        {
            _problems.Add(new VerificationProblem(line, message));
        }
        else
        {
            _unreported++;
        }
    }

    public void CheckLine(int number, ReadOnlyMemory<byte> line, ReadOnlyMemory<byte> previous, bool isLast)
    {
        using var document = DecisionFileVerifier.TryParse(line);
        if (document is null)
        {
            Problem(number, "line is not a JSON object: it was edited or corrupted");
            return;
        }

        var root = document.RootElement;
        var prev = Text(root, "prev");
        var type = Text(root, "type");
        if (!CheckLink(number, prev, type, previous))
        {
            return;
        }

        switch (type)
        {
            case null:
                Records++;
                break;
            case DecisionChain.GapType:
                Dropped += Number(root, "dropped") ?? 0;
                break;
            case DecisionChain.HeaderType:
                Problem(number, "a second header: lines from another file were inserted here");
                break;
            case DecisionChain.CheckpointType:
                CheckCheckpoint(number, root, prev!, isLast);
                break;
            default:
                Problem(number, $"unknown line type '{type}'");
                break;
        }
    }

    // Returns false when the line cannot be checked further (a missing or misplaced header).
    private bool CheckLink(int number, string? prev, string? type, ReadOnlyMemory<byte> previous)
    {
        if (prev is null)
        {
            Problem(number, "line has no \"prev\" hash: it was inserted or edited");
            return type != DecisionChain.HeaderType;
        }

        if (number == 1)
        {
            if (type != DecisionChain.HeaderType || !DecisionFileVerifier.IsNonce(prev))
            {
                Problem(1, "line 1 is not a header with a nonce: the start of the file was removed or replaced");
                return type != DecisionChain.HeaderType;
            }

            return false;
        }

        var expected = DecisionChain.Hash(previous.Span);
        if (!string.Equals(prev, expected, StringComparison.Ordinal))
        {
            Problem(number, $"chain broken: \"prev\" is not the hash of line {number - 1}, so line {number - 1} was " +
                $"edited, or line {number} was inserted or moved, or lines between them were removed");
        }

        return true;
    }

    private void CheckCheckpoint(int number, JsonElement checkpoint, string prev, bool isLast)
    {
        if (!isLast)
        {
            Problem(number, "checkpoint is not the last line: lines were appended after the file was sealed");
        }

        var count = Number(checkpoint, "count");
        var dropped = Number(checkpoint, "dropped");
        var time = Text(checkpoint, "time");
        if (count != Records)
        {
            Problem(number, $"checkpoint counts {Describe(count)} records but the file has {Records}");
        }

        if (dropped != Dropped)
        {
            Problem(number, $"checkpoint counts {Describe(dropped)} dropped records but the gap lines count {Dropped}");
        }

        CheckSignature(number, checkpoint, prev, count ?? -1, dropped ?? -1, time ?? "");
        Sealed = true;
    }

    private void CheckSignature(int number, JsonElement checkpoint, string prev, long count, long dropped, string time)
    {
        var kid = Text(checkpoint, "kid");
        var signature = Text(checkpoint, "sig");
        if (kid is null || signature is null)
        {
            Problem(number, "checkpoint is not signed: the log had no checkpoint signer");
            return;
        }

        KeyId = kid;
        if (Text(checkpoint, "alg") != "ES256")
        {
            Problem(number, $"checkpoint algorithm '{Text(checkpoint, "alg")}' is not ES256");
            return;
        }

        var key = keys.FindKey(kid);
        if (key is null)
        {
            Problem(number, $"checkpoint is signed by unknown key '{kid}': pass the key directory or JWKS that has it");
            return;
        }

        var payload = DecisionChain.CheckpointPayload(prev, count, dropped, time);
        if (!DecisionFileVerifier.VerifySignature(key, payload, signature))
        {
            Problem(number, $"checkpoint signature does not verify with key '{kid}': the checkpoint or the last line was changed");
        }
    }

    private static string Describe(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
            ? n
            : null;
}
