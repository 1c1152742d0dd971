using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.Telemetry.Audit;

/// <summary>
/// Line formats of a hash-chained decision file. Every line is a JSON object whose first member is
/// <c>prev</c>: the base64url SHA-256 of the previous line's exact bytes (without its newline). The first
/// line is a header whose <c>prev</c> is a random per-file nonce instead; a closed file ends with a signed
/// checkpoint. Control lines carry a <c>type</c>; decision records have none.
/// </summary>
public static class DecisionChain
{
    public const string HeaderType = "header";
    public const string GapType = "gap";
    public const string CheckpointType = "checkpoint";

    /// <summary>Version of the header, gap and checkpoint line formats.</summary>
    public const int FormatVersion = 1;

    private const string SignaturePrefix = "gatehouse-checkpoint-v1";

    /// <summary>Returns the base64url SHA-256 of one line's bytes, the value the next line's <c>prev</c> must hold.</summary>
    public static string Hash(ReadOnlySpan<byte> line) => Base64Url.EncodeToString(SHA256.HashData(line));

    /// <summary>Returns 32 random bytes, base64url encoded, that start a file's chain.</summary>
    public static string NewNonce() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Returns a decision record's line: its JSON object with <c>prev</c> inserted as the first member.</summary>
    public static byte[] RecordLine(string prev, string recordJson)
    {
        if (recordJson.Length < 2 || recordJson[0] != '{' || recordJson[1] == '}')
        {
            throw new ArgumentException("expected a non-empty JSON object", nameof(recordJson));
        }

        return Encoding.UTF8.GetBytes($"{{\"prev\":\"{prev}\",{recordJson.AsSpan(1)}");
    }

    public static byte[] HeaderLine(string nonce, DateTimeOffset time, string fileName) =>
        ControlLine(nonce, HeaderType, writer =>
        {
            writer.WriteString("time", FormatTime(time));
            writer.WriteString("file", fileName);
        });

    /// <summary>Returns the line that marks where records were dropped because the queue was full.</summary>
    public static byte[] GapLine(string prev, long dropped, DateTimeOffset time) =>
        ControlLine(prev, GapType, writer =>
        {
            writer.WriteString("time", FormatTime(time));
            writer.WriteNumber("dropped", dropped);
        });

    /// <summary>Returns the bytes a checkpoint signature covers; the verifier rebuilds them from the line.</summary>
    public static byte[] CheckpointPayload(string prev, long count, long dropped, string time) =>
        Encoding.UTF8.GetBytes(string.Join('\n', SignaturePrefix, prev, count.ToString(CultureInfo.InvariantCulture),
            dropped.ToString(CultureInfo.InvariantCulture), time));

    /// <summary>
    /// Returns the checkpoint line that seals a file: the number of decision records, the records dropped
    /// while the file was open, and a signature over those and <paramref name="prev"/>, the last line's hash.
    /// </summary>
    public static byte[] CheckpointLine(string prev, long count, long dropped, DateTimeOffset time, ICheckpointSigner? signer)
    {
        var timeText = FormatTime(time);
        var signature = signer?.Sign(CheckpointPayload(prev, count, dropped, timeText));
        return ControlLine(prev, CheckpointType, writer =>
        {
            writer.WriteString("time", timeText);
            writer.WriteNumber("count", count);
            writer.WriteNumber("dropped", dropped);
            if (signature is not null)
            {
                writer.WriteString("alg", "ES256");
                writer.WriteString("kid", signature.KeyId);
                writer.WriteString("sig", Base64Url.EncodeToString(signature.Signature));
            }
        });
    }

    private static byte[] ControlLine(string prev, string type, Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("prev", prev);
            writer.WriteString("type", type);
            writer.WriteNumber("v", FormatVersion);
            writeFields(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
