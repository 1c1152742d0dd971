using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.LoadBalancing;

namespace Gatehouse.Balancer.Health;

/// <summary>The result of one health check, with a reason worded like HAProxy's check status.</summary>
internal readonly record struct CheckResult(bool Passed, string Reason, long DurationMs);

/// <summary>
/// Runs one check against a server: a TCP connect, or with `option httpchk` an HTTP request whose response
/// must pass `http-check expect`. The whole check must finish within the server's `inter`, as HAProxy does
/// when `timeout check` is not set.
/// </summary>
internal sealed class CheckProbe : IDisposable
{
    private readonly HttpCheckRequest? _request;
    private readonly HttpCheckExpect? _expect;
    private readonly HttpClient _client;

    // Servers with `ssl` are checked over TLS with their own certificate settings, as HAProxy's implicit check-ssl does.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ServerState, HttpClient> _tlsClients = new();

    public CheckProbe(ProxySettings settings)
    {
        _request = settings.HttpCheck;
        _expect = settings.HttpCheckExpect;
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<CheckResult> RunAsync(ServerState server, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(server.Config.Check!.Interval);
        try
        {
            var (passed, reason) = _request is null
                ? await (server.Config.Tls is null ? ConnectAsync(server, timeout.Token) : Tls.OriginTls.HandshakeAsync(server.Config, timeout.Token))
                : await RequestAsync(server, _request, timeout.Token);
            return new CheckResult(passed, reason, watch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new CheckResult(false, _request is null ? "Layer4 timeout" : "Layer7 timeout", watch.ElapsedMilliseconds);
        }
        catch (Exception exception) when (exception is SocketException or HttpRequestException or IOException)
        {
            var info = exception is HttpRequestException { InnerException: SocketException socket } ? socket.Message : exception.Message;
            return new CheckResult(false, $"Layer4 connection problem, info: \"{info}\"", watch.ElapsedMilliseconds);
        }
    }

    private static async Task<(bool, string)> ConnectAsync(ServerState server, CancellationToken ct)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Config.Host, server.Config.Port, ct);
        return (true, "Layer4 check passed");
    }

    private async Task<(bool, string)> RequestAsync(ServerState server, HttpCheckRequest check, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(check.Method), server.DestinationPrefix + check.Uri)
        {
            Version = check.Version == "HTTP/1.1" ? HttpVersion.Version11 : HttpVersion.Version10,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.ConnectionClose = true;
        foreach (var (name, value) in check.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var client = server.Config.Tls is null ? _client : _tlsClients.GetOrAdd(server, key => Tls.OriginTls.CreateCheckClient(key.Config));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var status = (int)response.StatusCode;
        var body = _expect?.Kind == HttpCheckExpectKind.BodyString ? await response.Content.ReadAsStringAsync(ct) : "";
        var passed = Expect(status, body);
        var code = status.ToString(CultureInfo.InvariantCulture);
        return passed
            ? (true, $"Layer7 check passed, code: {code}")
            : (false, _expect?.Kind == HttpCheckExpectKind.BodyString ? $"Layer7 wrong content, code: {code}" : $"Layer7 wrong status, code: {code}");
    }

    private bool Expect(int status, string body)
    {
        if (_expect is not { } expect)
        {
            return status is >= 200 and < 400;
        }

        var matched = expect.Kind switch
        {
            HttpCheckExpectKind.Status => StatusRanges.TryParse(expect.Pattern, out var ranges) && StatusRanges.Contains(ranges, status),
            HttpCheckExpectKind.StatusRegex => Regex.IsMatch(status.ToString(CultureInfo.InvariantCulture), expect.Pattern),
            _ => body.Contains(expect.Pattern, StringComparison.Ordinal),
        };
        return matched != expect.Negate;
    }

    public void Dispose()
    {
        _client.Dispose();
        foreach (var client in _tlsClients.Values)
        {
            client.Dispose();
        }
    }
}
