using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Runtime;

/// <summary>Reads or creates the request id carried in X-Request-Id.</summary>
internal static class RequestIds
{
    public const string HeaderName = Telemetry.RequestIds.HeaderName;

    private const int MaxLength = 128;

    /// <summary>
    /// Returns the incoming X-Request-Id when it is 1–128 visible ASCII characters, otherwise a new id,
    /// so that a hostile value cannot inject into logs or headers.
    /// </summary>
    public static string FromRequest(HttpRequest request)
    {
        var incoming = request.Headers[HeaderName];
        if (incoming.Count == 1 && incoming[0] is { Length: > 0 and <= MaxLength } value && value.All(c => c is > ' ' and < (char)127))
        {
            return value;
        }

        return Telemetry.RequestIds.Create();
    }
}
