using System.IO.Pipelines;
using System.Net.Sockets;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Http;

namespace Gatehouse.Edge.Compute.Runtime;

/// <summary>Sends guest requests to backends over one shared connection pool.</summary>
public sealed class BackendClient : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host", "content-length",
    };

    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    });

    /// <summary>
    /// Starts sending <paramref name="request"/>. A buffered body is read now, on the guest's thread; a
    /// streaming body is switched to write into the request as the guest writes it.
    /// </summary>
    internal Task<(GuestResponse Response, GuestBody Body)> Start(
        GuestRequest request, GuestBody body, GuestBackend backend, bool streaming, CancellationToken cancellationToken)
    {
        var message = BuildMessage(request, backend);
        if (streaming)
        {
            var pipe = new Pipe();
            body.StreamTo(pipe.Writer.AsStream());
            message.Content = new StreamContent(pipe.Reader.AsStream());
        }
        else
        {
            var bytes = body.ReadToEnd();
            if (bytes.Length > 0 || request.Method is "POST" or "PUT" or "PATCH")
            {
                message.Content = new ByteArrayContent(bytes);
            }
        }

        CopyContentHeaders(request, message);
        return SendAsync(message, backend, cancellationToken);
    }

    private static HttpRequestMessage BuildMessage(GuestRequest request, GuestBackend backend)
    {
        var guestUri = new Uri(request.Uri, UriKind.RelativeOrAbsolute);
        var pathAndQuery = guestUri.IsAbsoluteUri ? guestUri.PathAndQuery : request.Uri;
        var target = new Uri(backend.Url, pathAndQuery);
        var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        foreach (var (name, value) in request.Headers.Fields)
        {
            if (!HopByHop.Contains(name) && !name.StartsWith("content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var host = backend.OverrideHost
            ?? request.Headers.Values("host").FirstOrDefault()
            ?? (guestUri.IsAbsoluteUri ? guestUri.Authority : target.Authority);
        message.Headers.Host = host;
        return message;
    }

    private static void CopyContentHeaders(GuestRequest request, HttpRequestMessage message)
    {
        if (message.Content is null)
        {
            return;
        }

        foreach (var (name, value) in request.Headers.Fields)
        {
            if (name.StartsWith("content-", StringComparison.OrdinalIgnoreCase) && !HopByHop.Contains(name))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private async Task<(GuestResponse, GuestBody)> SendAsync(
        HttpRequestMessage message, GuestBackend backend, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(backend.FirstByteTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BackendSendException(BackendSendError.Timeout, backend.Name);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            throw new BackendSendException(BackendSendError.ConnectionRefused, backend.Name);
        }
        catch (HttpRequestException)
        {
            throw new BackendSendException(BackendSendError.Other, backend.Name);
        }

        var guestResponse = new GuestResponse { Status = (int)response.StatusCode, Version = VersionTag(response.Version) };
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            foreach (var value in header.Value)
            {
                guestResponse.Headers.Append(header.Key.ToLowerInvariant(), value);
            }
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return (guestResponse, new GuestBody(stream, response.Content.Headers.ContentLength));
    }

    private static uint VersionTag(Version version) => version.Major switch
    {
        2 => 3,
        3 => 4,
        _ => version.Minor == 0 ? 1u : 2u,
    };

    public void Dispose() => _invoker.Dispose();
}

internal enum BackendSendError
{
    Timeout,
    ConnectionRefused,
    Other,
}

/// <summary>A backend request that failed before a response head arrived.</summary>
internal sealed class BackendSendException(BackendSendError error, string backend)
    : Exception($"backend '{backend}' request failed: {error}")
{
    public BackendSendError Error { get; } = error;

    /// <summary>The ABI's <c>send_error_detail</c> tag for this error.</summary>
    public byte DetailTag => Error switch
    {
        BackendSendError.Timeout => 16,
        BackendSendError.ConnectionRefused => 7,
        _ => 8,
    };
}
