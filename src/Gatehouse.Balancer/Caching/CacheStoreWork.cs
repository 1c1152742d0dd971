using Microsoft.AspNetCore.Http;

namespace Gatehouse.Balancer.Caching;

/// <summary>
/// Copies one forwarded response into a cache while it streams to the client. <see cref="TryStart"/> wraps the
/// response body, and <see cref="Commit"/> restores it and stores the object when the whole body fit.
/// </summary>
internal sealed class CacheStoreWork : IDisposable
{
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "X-Request-Id", "Date",
    };

    private readonly ObjectCache _cache;
    private readonly string _key;
    private readonly int _status;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly DateTimeOffset _storedAt;
    private readonly TimeSpan _lifetime;
    private readonly Stream _original;
    private readonly CopyingStream _copy;

    private CacheStoreWork(ObjectCache cache, string key, HttpResponse response, DateTimeOffset now, TimeSpan lifetime)
    {
        _cache = cache;
        _key = key;
        _status = response.StatusCode;
        _storedAt = now;
        _lifetime = lifetime;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers)
        {
            if (!NotStored.Contains(name))
            {
                foreach (var value in values)
                {
                    headers.Add(new(name, value ?? ""));
                }
            }
        }

        _headers = [.. headers];
        _original = response.Body;
        _copy = new CopyingStream(_original, (int)Math.Min(cache.Settings.MaxObjectBytes, int.MaxValue));
        response.Body = _copy;
    }

    /// <summary>Starts copying when the response may be stored. Call it after the http-response rules have run.</summary>
    public static CacheStoreWork? TryStart(ObjectCache cache, HttpContext http, string target)
    {
        var now = cache.Time.GetUtcNow();
        if (CachePolicy.StorableFor(http.Request, http.Response, cache.Settings.MaxAge, now) is not { } lifetime)
        {
            return null;
        }

        return new CacheStoreWork(cache, CachePolicy.Key(http.Request, target), http.Response, now, lifetime);
    }

    /// <summary>Puts the original body stream back and, when the response completed within the size limit, stores it.</summary>
    public void Commit(HttpContext http, bool completed)
    {
        http.Response.Body = _original;
        if (completed && !_copy.Overflowed)
        {
            _cache.Put(_key, new CachedObject(_status, _headers, _copy.ToArray(), _storedAt, _storedAt + _lifetime));
        }

        Dispose();
    }

    /// <summary>Releases the copy; the response's own body stream stays open.</summary>
    public void Dispose() => _copy.Dispose();
}
