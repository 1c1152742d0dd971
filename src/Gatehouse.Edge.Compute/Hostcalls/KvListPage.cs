using System.Buffers.Text;
using System.Text;
using System.Text.Json.Serialization;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Runtime;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>
/// One page of a KV listing in the JSON shape the SDKs parse. <c>data</c> lists the keys in ordinal order.
/// <c>meta.next_cursor</c>, present only when more keys follow, is the base64url form of the page's last
/// key, and the next page starts after that key.
/// </summary>
internal sealed record KvListPage(
    [property: JsonPropertyName("data")] IReadOnlyList<string> Data,
    [property: JsonPropertyName("meta")] KvListMeta Meta)
{
    public static KvListPage Create(KvStore store, string? prefix, string? cursor, int limit)
    {
        var after = cursor is null or "" ? null : DecodeCursor(cursor);
        var remaining = store.Keys(prefix).Where(k => after is null || string.CompareOrdinal(k, after) > 0).ToList();
        var page = remaining.Take(Math.Max(1, limit)).ToList();
        var next = remaining.Count > page.Count ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page[^1])) : null;
        return new KvListPage(page, new KvListMeta(limit, prefix, next));
    }

    private static string DecodeCursor(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new HostcallException(FastlyStatus.InvalidArgument, "KV list cursor is not one this host issued");
        }
    }
}

internal sealed record KvListMeta(
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("prefix")] string? Prefix,
    [property: JsonPropertyName("next_cursor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextCursor);
