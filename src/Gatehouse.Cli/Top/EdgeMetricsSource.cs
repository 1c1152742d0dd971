using System.Net.Http.Headers;

namespace Gatehouse.Cli.Top;

/// <summary>
/// Reads the edge's Prometheus endpoint for <c>gatehouse top</c>. A failure becomes a status line in the view instead
/// of stopping it, because the balancer part of the view stays useful without the edge.
/// </summary>
internal sealed class EdgeMetricsSource(Uri url) : IDisposable
{
    /// <summary>Largest response read; the edge caps its series, so a real page stays far below this.</summary>
    private const int MaxBytes = 4 * 1024 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(2),
        MaxResponseContentBufferSize = MaxBytes,
    };

    public Uri Url => url;

    /// <summary>Returns the current reading, or no reading and an error message with the reason.</summary>
    public async Task<(EdgeSnapshot? Snapshot, string? Error)> ReadAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
            using var response = await _http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"edge metrics at {url} answered {(int)response.StatusCode}");
            }

            return (EdgeSnapshot.Parse(await response.Content.ReadAsStringAsync(cancellationToken), time), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = exception is OperationCanceledException ? "timed out after 2 s" : exception.Message;
            return (null, $"edge metrics at {url} unavailable: {reason}");
        }
    }

    public void Dispose() => _http.Dispose();
}
