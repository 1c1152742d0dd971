using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.DevStack.Origins;

/// <summary>
/// Writer of the demo origin's JSON echo of a request.
/// </summary>
internal static class EchoWriter
{
    /// <summary>
    /// Serializes the request as UTF-8 JSON. Path and query come from the raw request target, never from the decoded
    /// <see cref="HttpRequest.Path"/>, so the echo shows exactly what the balancer forwarded.
    /// </summary>
    public static byte[] Write(string pool, string server, HttpContext context, long bodyBytes)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var (path, query) = SplitTarget(rawTarget);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("pool", pool);
            json.WriteString("server", server);
            json.WriteString("method", context.Request.Method);
            json.WriteString("path", path);
            json.WriteString("query", query);
            json.WriteStartObject("headers");
            foreach (var (name, values) in context.Request.Headers)
            {
                json.WriteStartArray(name);
                foreach (var value in values)
                {
                    json.WriteStringValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteNumber("body_bytes", bodyBytes);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Splits a raw request target at the first '?'. The query excludes the '?' and is empty when there is none.
    /// </summary>
    internal static (string Path, string Query) SplitTarget(string rawTarget)
    {
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (rawTarget, string.Empty) : (rawTarget[..question], rawTarget[(question + 1)..]);
    }
}
