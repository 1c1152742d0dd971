using System.Collections.Concurrent;
using Gatehouse.Balancer.Configuration;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Balancer.Tls;

/// <summary>
/// One HTTP client per `ssl` server, because each server has its own certificate checks and client certificate.
/// Owned by the balancer host, which disposes it when it stops.
/// </summary>
internal sealed class OriginTlsClients : IDisposable
{
    private readonly ConcurrentDictionary<ServerConfig, HttpMessageInvoker> _invokers = new(ReferenceEqualityComparer.Instance);
    private readonly ILogger _logger;

    public OriginTlsClients(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>Returns the client for a server with `ssl`, or <paramref name="plain"/> for a server without.</summary>
    public HttpMessageInvoker For(ServerConfig server, string backend, TimeSpan? connectTimeout, HttpMessageInvoker plain)
    {
        if (server.Tls is null)
        {
            return plain;
        }

        // NOTE: a reload brings new ServerConfig objects, so the clients of replaced servers stay until the host stops.
        return _invokers.GetOrAdd(
            server, key => new HttpMessageInvoker(OriginTls.CreateHandler(key, backend, connectTimeout, _logger), disposeHandler: true));
    }

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }

        _invokers.Clear();
    }
}
