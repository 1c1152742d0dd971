namespace Gatehouse.Edge.Compute.Http;

/// <summary>A request handle's state: the downstream request or one the guest builds to send to a backend.</summary>
internal sealed class GuestRequest
{
    public string Method { get; set; } = "GET";

    /// <summary>Absolute URI, as the guest sees it (scheme, host, path and query).</summary>
    public string Uri { get; set; } = "/";

    /// <summary>HTTP version as the ABI's <c>http_version</c> tag (0 = 0.9, 1 = 1.0, 2 = 1.1, 3 = 2, 4 = 3).</summary>
    public uint Version { get; set; } = 2;

    public HeaderList Headers { get; } = new();

    /// <summary>True when the guest asked that the response not be cached (<c>cache_override</c> pass).</summary>
    public bool CachePass { get; set; }
}

/// <summary>A response handle's state.</summary>
internal sealed class GuestResponse
{
    public int Status { get; set; } = 200;

    public uint Version { get; set; } = 2;

    public HeaderList Headers { get; } = new();

    public System.Net.IPAddress? RemoteAddress { get; set; }

    public int RemotePort { get; set; }
}

/// <summary>An outstanding backend request started with <c>send_async</c>.</summary>
internal sealed class PendingRequest(Task<(GuestResponse Response, GuestBody Body)> task)
{
    public Task<(GuestResponse Response, GuestBody Body)> Task { get; } = task;
}
