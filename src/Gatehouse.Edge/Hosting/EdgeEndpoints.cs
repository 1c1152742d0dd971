using System.Net;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Tls;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Hosting;

/// <summary>
/// The edge's listeners when edge.toml has <c>[[listeners]]</c> or the host adds some: plain and TLS endpoints on
/// Kestrel, with the certificates each TLS endpoint reloads. Dispose after the server stopped.
/// </summary>
internal sealed class EdgeEndpoints : IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly List<(EdgeListenerConfig Config, ListenOptions Options)> _bound = [];
    private readonly List<ReloadingCertificate> _certificates = [];
    private readonly Dictionary<EdgeListenerConfig, SniCertificateSelector> _selectors = [];
    private readonly ILogger _logger;

    private EdgeEndpoints(IReadOnlyList<EdgeListenerConfig> listeners, ILogger logger)
    {
        Listeners = listeners;
        _logger = logger;
    }

    public IReadOnlyList<EdgeListenerConfig> Listeners { get; }

    /// <summary>Certificates of every TLS listener, for tests that force a reload check.</summary>
    public IReadOnlyList<ReloadingCertificate> Certificates => _certificates;

    /// <summary>
    /// Returns the listeners to open in code: the <c>[edge] listen</c> address (or the host's override) first, then
    /// <c>[[listeners]]</c>, then <paramref name="extra"/>. Returns null when the only listener is the plain
    /// <c>[edge] listen</c> one, which the edge opens by URL as before.
    /// </summary>
    public static EdgeEndpoints? Create(EdgeConfig config, string? listenOverride, IReadOnlyList<EdgeListenerConfig> extra, ILogger logger)
    {
        if (config.Listeners.Count == 0 && extra.Count == 0)
        {
            return null;
        }

        var listeners = new List<EdgeListenerConfig>();
        if (config.ServesEdgeListen || listenOverride is not null)
        {
            listeners.Add(new EdgeListenerConfig { Address = listenOverride ?? config.Listen });
        }

        listeners.AddRange(config.Listeners);
        listeners.AddRange(extra);
        return new EdgeEndpoints(listeners, logger);
    }

    /// <summary>
    /// Opens the certificate files of every TLS listener and starts watching them. Throws
    /// <see cref="InvalidOperationException"/> when an address does not parse or a certificate does not load.
    /// </summary>
    public void OpenCertificates(TimeProvider time, TimeSpan certificateCheckInterval)
    {
        foreach (var listener in Listeners)
        {
            if (!ListenAddress.TryParse(listener.Address, out _))
            {
                throw new InvalidOperationException(
                    $"listen address \"{listener.Address}\" must be IP:port, [IPv6]:port, localhost:port or *:port when the edge has [[listeners]]");
            }

            if (listener.IsTls)
            {
                _selectors[listener] = CreateSelector(listener, time, certificateCheckInterval);
            }
        }
    }

    /// <summary>Adds every listener to Kestrel, after <see cref="OpenCertificates"/>.</summary>
    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var listener in Listeners)
        {
            if (!ListenAddress.TryParse(listener.Address, out var endPoint))
            {
                continue; // OpenCertificates has thrown for this address already.
            }

            var selector = _selectors.GetValueOrDefault(listener);
            kestrel.Listen(endPoint, options =>
            {
                _bound.Add((listener, options));
                if (selector is not null)
                {
                    UseTls(options, listener, selector);
                }
            });
        }
    }

    /// <summary>Returns the bound address of every listener in order, with the real port when port 0 was requested.</summary>
    public IReadOnlyList<Uri> BoundAddresses() =>
        _bound.Select(entry => new Uri($"{(entry.Config.IsTls ? "https" : "http")}://{FormatEndPoint(entry.Options.IPEndPoint!)}/")).ToList();

    /// <summary>
    /// Returns the https port that a plain redirect listener names in its Location header, or null when the
    /// connection did not arrive on such a listener.
    /// </summary>
    public int? RedirectPortFor(IPAddress? localAddress, int localPort)
    {
        foreach (var (config, options) in _bound)
        {
            if (config.Mode == PlainMode.Redirect && !config.IsTls && Matches(options.IPEndPoint, localAddress, localPort))
            {
                return config.RedirectPort ?? FirstTlsPort() ?? 443;
            }
        }

        return null;
    }

    public void LogStarted()
    {
        foreach (var (config, options) in _bound)
        {
            var address = FormatEndPoint(options.IPEndPoint!);
            if (config.IsTls)
            {
                var first = _certificates.First(certificate => config.Certificates.Contains(certificate.Config));
                TlsLog.ListenerStarted(_logger, address, config.Certificates.Count, first.Current.Leaf.Subject);
            }
            else if (config.Mode == PlainMode.Redirect)
            {
                TlsLog.RedirectListenerStarted(_logger, address);
            }
        }
    }

    private SniCertificateSelector CreateSelector(EdgeListenerConfig listener, TimeProvider time, TimeSpan checkInterval)
    {
        var certificates = new List<ReloadingCertificate>();
        foreach (var certificate in listener.Certificates)
        {
            var reloading = ReloadingCertificate.Open(certificate, _logger, time, checkInterval);
            _certificates.Add(reloading);
            certificates.Add(reloading);
        }

        return new SniCertificateSelector(certificates);
    }

    private static void UseTls(ListenOptions options, EdgeListenerConfig listener, SniCertificateSelector selector)
    {
        // NOTE: the HTTP/3 path is untested here because this machine has no libmsquic; the loader rejects http3 then.
        options.Protocols = listener.Http3 ? HttpProtocols.Http1AndHttp2AndHttp3 : HttpProtocols.Http1AndHttp2;
        options.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = HandshakeTimeout,
            OnConnection = context => ValueTask.FromResult(selector.CreateOptions(context.ClientHelloInfo.ServerName)),
        });
    }

    private int? FirstTlsPort() => _bound.FirstOrDefault(entry => entry.Config.IsTls).Options?.IPEndPoint?.Port;

    private static bool Matches(IPEndPoint? bound, IPAddress? localAddress, int localPort)
    {
        if (bound is null || bound.Port != localPort)
        {
            return false;
        }

        if (bound.Address.Equals(IPAddress.IPv6Any) || bound.Address.Equals(IPAddress.Any) || localAddress is null)
        {
            return true;
        }

        var local = localAddress.IsIPv4MappedToIPv6 ? localAddress.MapToIPv4() : localAddress;
        return bound.Address.Equals(local);
    }

    private static string FormatEndPoint(IPEndPoint endPoint) =>
        endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port}"
            : $"{endPoint.Address}:{endPoint.Port}";

    public void Dispose()
    {
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }
    }
}
