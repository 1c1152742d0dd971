using System.Text;
using Gatehouse.Balancer.Acls;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Balancer.Runtime;

/// <summary>The responses the balancer writes itself, and the per-backend counters updated after each request.</summary>
internal sealed partial class RequestPipeline
{
    private static void CountBackend(RoutingState state, RequestOutcome outcome, int status)
    {
        if (outcome.Backend is null || !state.Backends.TryGetValue(outcome.Backend, out var backend))
        {
            return;
        }

        backend.Counters.Count(status);
        foreach (var server in backend.Servers)
        {
            if (server.Name == outcome.Server)
            {
                server.Counters.Count(status);
                break;
            }
        }
    }

    /// <summary>Writes a response the balancer generates itself, with the http-after-response rules applied.</summary>
    public static async Task WriteResponseAsync(HttpContext http, SampleContext sample, string requestId, RuleResponse response)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        if (response.File is { } file)
        {
            await WriteErrorFileAsync(http, sample, requestId, file);
            return;
        }

        http.Response.StatusCode = response.Status;
        http.Response.Headers[RequestIds.HeaderName] = requestId;
        if (response.Location is not null)
        {
            http.Response.Headers.Location = response.Location;
        }

        if (response.ContentType is not null)
        {
            http.Response.ContentType = response.ContentType;
        }

        if (response.CacheControl is not null)
        {
            http.Response.Headers.CacheControl = response.CacheControl;
        }

        foreach (var header in response.Headers)
        {
            http.Response.Headers.Append(header.Key, header.Value);
        }

        AfterResponseRule.ApplyAll(sample, http.Response);
        if (response.RawBody is { } raw)
        {
            http.Response.ContentLength = raw.Length;
            if (!HttpMethods.IsHead(http.Request.Method))
            {
                await http.Response.Body.WriteAsync(raw, http.RequestAborted);
            }
        }
        else if (response.Body is not null)
        {
            var body = Encoding.UTF8.GetBytes(response.Body);
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    private static async Task WriteErrorFileAsync(HttpContext http, SampleContext sample, string requestId, ErrorFile file)
    {
        http.Response.StatusCode = file.Status;
        if (http.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = file.ReasonPhrase;
        }

        http.Response.Headers[RequestIds.HeaderName] = requestId;
        foreach (var header in file.Headers)
        {
            http.Response.Headers.Append(header.Key, header.Value);
        }

        AfterResponseRule.ApplyAll(sample, http.Response);
        http.Response.ContentLength = file.Body.Length;
        await http.Response.Body.WriteAsync(file.Body, http.RequestAborted);
    }
}
