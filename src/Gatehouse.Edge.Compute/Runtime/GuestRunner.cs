using System.Diagnostics;
using Gatehouse.Edge.Compute.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>
/// Runs a guest once per downstream request, as a pipeline step or as the whole server. Each request gets
/// a fresh store and instance on one of the runtime's guest threads, so guest code and its blocking
/// hostcalls never occupy a thread-pool thread. At most <see cref="ComputeLimits.MaxConcurrentGuests"/> run at once.
/// </summary>
public sealed class GuestRunner : IDisposable
{
    private readonly GuestModule _module;
    private readonly GuestEnvironment _environment;
    private readonly BackendClient _backends = new();
    private readonly SemaphoreSlim _concurrency;

    public GuestRunner(GuestModule module, GuestEnvironment environment)
    {
        _module = module;
        _environment = environment;
        _concurrency = new SemaphoreSlim(module.Runtime.Limits.MaxConcurrentGuests);
    }

    /// <summary>
    /// Runs the guest for <paramref name="context"/> and writes its response. A trap, a limit hit or a guest
    /// that sends nothing yields 500 (504 after a backend timeout) unless the response had already started.
    /// </summary>
    public async Task<GuestOutcome> RunAsync(HttpContext context, GuestRequestContext info, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var responder = new HttpContextResponder(context);
            var outcome = await _module.Runtime.GuestThreads
                .RunAsync(() => Execute(context, info, responder, cancellationToken)).ConfigureAwait(false);
            if (outcome.Failure is not null && !context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = outcome.Status;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"guest failed: {outcome.Failure}\n", cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private GuestOutcome Execute(HttpContext context, GuestRequestContext info, HttpContextResponder responder, CancellationToken cancellationToken)
    {
        var state = CreateState(context, info, responder, cancellationToken);
        var execution = new GuestExecution(_module, state);
        var (failure, cause, instantiateTime) = execution.Run();
        if (failure is null && !responder.HasResponded)
        {
            failure = state.Failure == GuestFailure.BackendTimeout ? GuestFailure.BackendTimeout : GuestFailure.NoResponse;
            cause = "the guest exited without sending a response";
        }

        if (responder.HasResponded)
        {
            try
            {
                responder.Complete();
            }
            catch (IOException)
            {
                // The client closed the connection while a streaming response was still open.
            }
        }

        var status = failure is null || responder.HasResponded ? responder.Status
            : failure == GuestFailure.BackendTimeout ? 504 : 500;
        if (failure is not null)
        {
            GuestLog.RequestFailed(_module.Logger, info.RequestId, failure.Value, (long)state.WallTime.TotalMilliseconds,
                (long)state.CpuTime.TotalMilliseconds, cause ?? "");
        }

        return new GuestOutcome
        {
            Status = status,
            Failure = failure,
            Cause = cause,
            InstantiateTime = instantiateTime,
            WallTime = state.WallTime,
            CpuTime = state.CpuTime,
            BackendRequests = state.BackendRequestCount,
        };
    }

    private RequestState CreateState(HttpContext context, GuestRequestContext info, HttpContextResponder responder, CancellationToken cancellationToken)
    {
        var request = DownstreamRequest(context.Request);
        var body = new GuestBody(context.Request.Body, context.Request.ContentLength);
        var state = new RequestState(_environment, _module.Runtime.Limits, _backends, _module.Logger)
        {
            Info = info,
            Responder = responder,
            Aborted = cancellationToken,
        };
        return state.WithDownstream(request, body);
    }

    private static GuestRequest DownstreamRequest(HttpRequest http)
    {
        var request = new GuestRequest
        {
            Method = http.Method,
            Uri = http.GetEncodedUrl(),
            Version = http.Protocol switch
            {
                "HTTP/1.0" => 1u,
                "HTTP/2" => 3u,
                "HTTP/3" => 4u,
                _ => 2u,
            },
        };
        foreach (var header in http.Headers)
        {
            foreach (var value in header.Value)
            {
                request.Headers.Append(header.Key.ToLowerInvariant(), value ?? "");
            }
        }

        return request;
    }

    public void Dispose()
    {
        _backends.Dispose();
        _concurrency.Dispose();
    }
}
