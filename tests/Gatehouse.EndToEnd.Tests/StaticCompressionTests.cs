using System.IO.Compression;
using System.Net;
using System.Text;

namespace Gatehouse.EndToEnd.Tests;

public sealed class StaticCompressionTests
{
    private const string Css = "body { color: #222; }\n";

    [Fact]
    public async Task Static_BrVariant_RecordsOriginalPath()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gatehouse-precompressed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "static"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "haproxy.cfg"), Path.Combine(folder, "haproxy.cfg"));
        File.Copy(Path.Combine(RepositoryPaths.Examples, "edge.toml"), Path.Combine(folder, "edge.toml"));
        RepositoryPaths.LinkGuests(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "static", "site.css"), Css);
        await File.WriteAllBytesAsync(Path.Combine(folder, "static", "site.css.br"), CompressBrotli(Encoding.UTF8.GetBytes(Css)));

        try
        {
            await using var stack = await StackFixture.StartStackAsync(folder, Path.Combine(folder, "run"));
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None });
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Edge.Address, "/static/site.css"));
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsByteArrayAsync();
            var requestId = response.Headers.GetValues("X-Request-Id").Single();
            var record = await StackFixture.WaitForRecordAsync(stack.EdgeDecisions.FilePath!, requestId);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
            Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            Assert.Equal(Css, Encoding.UTF8.GetString(DecompressBrotli(body)));
            Assert.Equal("/static/site.css", record.GetProperty("path").GetString());
            Assert.Equal("static", record.GetProperty("decision").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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

    private static byte[] DecompressBrotli(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(new MemoryStream(data), CompressionMode.Decompress))
        {
            brotli.CopyTo(output);
        }

        return output.ToArray();
    }
}
