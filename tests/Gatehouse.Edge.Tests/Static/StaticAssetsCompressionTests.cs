using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Tests.Static;

/// <summary>Serves a temp folder through <see cref="StaticAssets"/> on a real Kestrel listener.</summary>
public sealed class StaticAssetsCompressionTests : IAsyncLifetime, IDisposable
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("precompressed static text\n", 40));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gatehouse-static-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None });
    private WebApplication _app = null!;
    private StaticAssets _assets = null!;
    private Uri _address = null!;
    // Set by the handler after ServeAsync returns, which can be after the client already has the response.
    private readonly TaskCompletionSource<string?> _pathAfterServe = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var original = Encoding.UTF8.GetBytes(Text);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "a.txt"), original);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "a.txt.br"), CompressBrotli(original));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "a.txt.gz"), CompressGzip(original));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "plain.txt"), original);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "linked.txt"), original);
        await File.WriteAllTextAsync(Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-outside.br"), "outside");
        File.CreateSymbolicLink(Path.Combine(_folder, "linked.txt.br"), Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-outside.br"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var route = new EdgeRoute("/static/", RouteKind.Static, _folder, Line: 1);
        _assets = new StaticAssets(route, _app.Services.GetRequiredService<IWebHostEnvironment>(), NullLoggerFactory.Instance);
        _app.Run(async context =>
        {
            await _assets.ServeAsync(context);
            _pathAfterServe.TrySetResult(context.Request.Path.Value);
        });
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        _address = new Uri(addresses.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(Path.Combine(_folder, "..", Path.GetFileName(_folder) + "-outside.br"));
        Directory.Delete(_folder, recursive: true);
    }

    public void Dispose()
    {
        _assets.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Static_BrotliAccepted_ServesBrVariant()
    {
        using var response = await GetAsync("/static/a.txt", "gzip, deflate, br");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(Text, Encoding.UTF8.GetString(DecompressBrotli(body)));
        Assert.Equal("/static/a.txt", await _pathAfterServe.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Static_OnlyGzipAccepted_ServesGzVariant()
    {
        using var response = await GetAsync("/static/a.txt", "gzip");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Text, Encoding.UTF8.GetString(DecompressGzip(body)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("br;q=0, gzip;q=0")]
    [InlineData("deflate")]
    public async Task Static_NoVariantAccepted_ServesIdentityWithVary(string? acceptEncoding)
    {
        using var response = await GetAsync("/static/a.txt", acceptEncoding);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(Text, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Static_EachEncoding_HasOwnETag()
    {
        using var identity = await GetAsync("/static/a.txt", null);
        using var brotli = await GetAsync("/static/a.txt", "br");
        using var gzip = await GetAsync("/static/a.txt", "gzip");

        Assert.NotNull(identity.Headers.ETag);
        Assert.NotEqual(identity.Headers.ETag, brotli.Headers.ETag);
        Assert.NotEqual(identity.Headers.ETag, gzip.Headers.ETag);
        Assert.NotEqual(brotli.Headers.ETag, gzip.Headers.ETag);
    }

    [Fact]
    public async Task Static_IfNoneMatchOnBrVariant_Returns304()
    {
        using var first = await GetAsync("/static/a.txt", "br");
        using var again = await GetAsync("/static/a.txt", "br", request => request.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        using var identity = await GetAsync("/static/a.txt", null, request => request.Headers.IfNoneMatch.Add(first.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, identity.StatusCode);
    }

    [Fact]
    public async Task Static_RangeOnBrVariant_CountsVariantBytes()
    {
        var compressed = await File.ReadAllBytesAsync(Path.Combine(_folder, "a.txt.br"));
        using var response = await GetAsync("/static/a.txt", "br", request => request.Headers.Range = new RangeHeaderValue(0, 4));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Equal(compressed.Length, response.Content.Headers.ContentRange?.Length);
        Assert.Equal(compressed[..5], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Static_FileWithoutVariants_HasNoVary()
    {
        using var response = await GetAsync("/static/plain.txt", "br, gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Empty(response.Headers.Vary);
    }

    [Fact]
    public async Task Static_SymlinkedVariant_Ignored()
    {
        using var response = await GetAsync("/static/linked.txt", "br");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Text, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Static_VariantByName_ServedAsPlainFile()
    {
        using var response = await GetAsync("/static/a.txt.gz", "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_folder, "a.txt.gz")), await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_address, path));
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        configure?.Invoke(request);
        return await _http.SendAsync(request);
    }

    private static byte[] CompressBrotli(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal))
        {
            brotli.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] CompressGzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] DecompressBrotli(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(new MemoryStream(data), CompressionMode.Decompress))
        {
            brotli.CopyTo(output);
        }

        return output.ToArray();
    }

    private static byte[] DecompressGzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress))
        {
            gzip.CopyTo(output);
        }

        return output.ToArray();
    }
}
