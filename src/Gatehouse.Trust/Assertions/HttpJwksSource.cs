using System.Net.Http.Headers;
using System.Text;

namespace Gatehouse.Trust.Assertions;

/// <summary>Fetches the JWKS published by an edge node over HTTP(S).</summary>
public sealed class HttpJwksSource : IJwksSource
{
    /// <summary>Maximum JWKS document size in bytes; a key ring publishes a few keys of about 200 bytes each.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly Uri _address;
    private readonly HttpClient _httpClient;

    public HttpJwksSource(Uri address, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(httpClient);
        _address = address;
        _httpClient = httpClient;
    }

    public async ValueTask<string> GetJwksJsonAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"JWKS request to {_address} failed with status {(int)response.StatusCode}.", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new InvalidDataException($"JWKS document at {_address} is larger than {MaxDocumentBytes} bytes.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await ReadBoundedAsync(body, cancellationToken);
    }

    private async Task<string> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                throw new InvalidDataException($"JWKS document at {_address} is larger than {MaxDocumentBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
