using Gatehouse.Edge.Experiments;
using Gatehouse.Edge.Pipeline;
using Gatehouse.Trust.Assertions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Gatehouse.Edge.Forwarding;

/// <summary>
/// Shapes the request the balancer receives: the client's own target bytes, no spoofable headers,
/// and the edge's request id and signed assertion.
/// </summary>
internal sealed class BalancerTransformer : HttpTransformer
{
    private static readonly UriCreationOptions RawTargetOptions = new() { DangerousDisablePathAndQueryCanonicalization = true };

    private readonly string _requestId;
    private readonly string _assertion;
    private readonly string? _variant;

    public BalancerTransformer(string requestId, string assertion, string? variant)
    {
        _requestId = requestId;
        _assertion = assertion;
        _variant = variant;
    }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // Forward the request target exactly as the client sent it, so encoded bytes such as %2F, %61 or
        // dot segments reach the balancer unchanged; System.Uri would otherwise decode unreserved escapes and
        // remove dot segments. The edge routes on its own normalized copy of the path (see RoutingPath).
        var rawTarget = httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(rawTarget) && rawTarget[0] == '/')
        {
            proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + rawTarget, RawTargetOptions);
        }

        foreach (var header in proxyRequest.Headers.Select(h => h.Key).Where(EdgeHeaders.IsSpoofable).ToList())
        {
            proxyRequest.Headers.Remove(header);
        }

        proxyRequest.Headers.TryAddWithoutValidation(EdgeHeaders.RequestId, _requestId);
        proxyRequest.Headers.TryAddWithoutValidation(EdgeAssertion.HeaderName, _assertion);
        if (_variant is not null)
        {
            proxyRequest.Headers.TryAddWithoutValidation(ExperimentStep.VariantHeader, _variant);
        }
    }

    public override ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        // The balancer echoes the request id; keep exactly one copy, the edge's.
        var result = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        httpContext.Response.Headers[EdgeHeaders.RequestId] = _requestId;
        return result;
    }
}
