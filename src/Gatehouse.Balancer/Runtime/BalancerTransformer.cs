using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Balancer.Runtime;

/// <summary>
/// Builds the request to the server from the raw request target, so the path and query arrive exactly as
/// the client sent them and an encoded "%2F" stays encoded. Keeps the client's Host header. On the response,
/// applies the http-response rules (backend first, then frontend) and sets X-Request-Id.
/// </summary>
internal sealed class BalancerTransformer : HttpTransformer
{
    private static readonly UriCreationOptions RawUriOptions = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly SampleContext _sample;
    private readonly string _requestId;
    private readonly IReadOnlyList<ResponseHeaderRule> _backendRules;
    private readonly IReadOnlyList<ResponseHeaderRule> _frontendRules;
    private readonly bool _closeServerConnection;
    private readonly RetryConditions _retryStatuses;

    public BalancerTransformer(
        SampleContext sample,
        string requestId,
        IReadOnlyList<ResponseHeaderRule> backendRules,
        IReadOnlyList<ResponseHeaderRule> frontendRules,
        bool closeServerConnection,
        RetryConditions retryStatuses = RetryConditions.None)
    {
        _retryStatuses = retryStatuses;
        _sample = sample;
        _requestId = requestId;
        _backendRules = backendRules;
        _frontendRules = frontendRules;
        _closeServerConnection = closeServerConnection;
    }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var target = _sample.Target;
        if (!target.StartsWith('/'))
        {
            target = "/" + target;
        }

        proxyRequest.RequestUri = new Uri(destinationPrefix + target, in RawUriOptions);
        proxyRequest.Headers.Host = httpContext.Request.Host.HasValue ? httpContext.Request.Host.Value : null;
        if (_closeServerConnection)
        {
            proxyRequest.Headers.ConnectionClose = true;
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            ServerResponded?.Invoke((int)proxyResponse.StatusCode);
        }

        if (proxyResponse is not null && RetryStatuses.Matches(_retryStatuses, (int)proxyResponse.StatusCode))
        {
            HeldResponse = await HeldResponse.TryReadAsync(proxyResponse, cancellationToken);
            if (HeldResponse is not null)
            {
                // The response is kept for a retry, so nothing of it reaches the client yet.
                httpContext.Response.Clear();
                return false;
            }
        }

        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        _sample.Captures?.CaptureResponse(httpContext.Response.Headers);
        Cookie?.Apply(httpContext.Response.StatusCode, httpContext.Response.Headers);
        ApplyResponseRules(_sample, httpContext.Response.Headers, _backendRules);
        ApplyResponseRules(_sample, httpContext.Response.Headers, _frontendRules);
        var compressed = proxyResponse is not null && Compression is { } compression && compression.TryStart(httpContext, proxyResponse);

        // NOTE: a compressed response is not stored, because the cache keeps one variant per key and ignores Vary.
        if (!compressed && StoreRules is { } storeRules
            && Caching.CacheStoreRule.Select(storeRules.Backend, storeRules.Frontend, _sample) is { } cache)
        {
            Store = Caching.CacheStoreWork.TryStart(cache, httpContext, _sample.Target);
        }

        AfterResponseRule.ApplyAll(_sample, httpContext.Response);
        httpContext.Response.Headers[RequestIds.HeaderName] = _requestId;
        return result;
    }

    /// <summary>Called with the status the server sent, when its response headers arrive and before any rule runs.</summary>
    public Action<int>? ServerResponded { get; set; }

    /// <summary>The cookie persistence work for this attempt's response, or null when the backend has no `cookie` line.</summary>
    /// <remarks>NOTE: a response held for `retry-on` and sent later does not get the persistence cookie.</remarks>
    public CookieResponse? Cookie { get; set; }

    /// <summary>The backend's and the frontend's `http-response cache-store` rules, or null when neither has one.</summary>
    public (List<Caching.CacheStoreRule> Backend, List<Caching.CacheStoreRule> Frontend)? StoreRules { get; set; }

    /// <summary>The copy of this response being made for a cache, or null; committed once the body is sent.</summary>
    public Caching.CacheStoreWork? Store { get; private set; }

    /// <summary>The response compression for this request, or null when responses are not compressed.</summary>
    public ResponseCompression? Compression { get; set; }

    /// <summary>A response whose status `retry-on` covers, read into memory instead of being sent; null otherwise.</summary>
    public HeldResponse? HeldResponse { get; private set; }

    public static void ApplyResponseRules(SampleContext sample, IHeaderDictionary headers, IReadOnlyList<ResponseHeaderRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Applies(sample))
            {
                rule.Execute(sample, headers);
            }
        }
    }
}
