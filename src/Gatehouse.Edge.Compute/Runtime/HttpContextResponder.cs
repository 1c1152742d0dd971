using Gatehouse.Edge.Compute.Http;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// Writes the guest's response to an ASP.NET Core <see cref="HttpContext"/>. It runs on the guest's thread
/// while the request's own thread awaits the guest, so the context is never used by two threads at once.
/// </summary>
internal sealed class HttpContextResponder(HttpContext context) : IDownstreamResponder
{
    private static readonly HashSet<string> Framing = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection",
    };

    private GuestBody? _streamingBody;

    public bool HasResponded { get; private set; }

    public int Status { get; private set; }

    public void Send(GuestResponse response, GuestBody body, bool streaming)
    {
        HasResponded = true;
        Status = response.Status;
        var http = context.Response;
        http.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers.Fields)
        {
            if (Framing.Contains(name) || (streaming && name.Equals("content-length", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            // Append keeps each value a separate field, so Set-Cookie values are never merged.
            http.Headers.Append(name, value);
        }

        if (streaming)
        {
            http.StartAsync().GetAwaiter().GetResult();
            body.StreamTo(http.Body, onClose: () => http.CompleteAsync().GetAwaiter().GetResult());
            _streamingBody = body;
            return;
        }

        var bytes = body.ReadToEnd();
        if (!http.Headers.ContentLength.HasValue && response.Status is not (204 or 304))
        {
            http.ContentLength = bytes.Length;
        }

        http.Body.WriteAsync(bytes).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Ends a streaming response the guest left open when it exited.</summary>
    public void Complete() => _streamingBody?.Close();
}
