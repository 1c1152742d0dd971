using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.Tests.Configuration;

public sealed class ErrorFileConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gh-errorfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Cfg => Path.Combine(_folder, "t.cfg");

    // Line 3 is inside the frontend.
    private static string WithFrontendLine(string line) =>
        $"frontend fe\n    bind 127.0.0.1:0\n    {line}\n    default_backend be\nbackend be\n    server s1 127.0.0.1:9000\n";

    private IReadOnlyList<string> Errors(string text)
    {
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(text, Cfg, new Dictionary<string, string>()));
        return exception.Errors;
    }

    [Fact]
    public void Parse_RelativeFile_ReadsStatusHeadersAndBody()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "errors"));
        File.WriteAllText(Path.Combine(_folder, "errors", "503.http"), "HTTP/1.1 503 Busy\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nX-A: b\r\n\r\nbusy");

        var config = BalancerConfigLoader.Parse(WithFrontendLine("errorfile 503 errors/503.http"), Cfg, new Dictionary<string, string>());

        var file = config.Frontends[0].Settings.ErrorFiles[503];
        Assert.Equal(503, file.Status);
        Assert.Equal("Busy", file.ReasonPhrase);
        Assert.Equal([new("Content-Type", "text/plain"), new KeyValuePair<string, string>("X-A", "b")], file.Headers);
        Assert.Equal("busy"u8.ToArray(), file.Body);
    }

    [Fact]
    public void Parse_MissingFile_NamesFile()
    {
        var errors = Errors(WithFrontendLine("errorfile 503 nope.http"));

        var path = Path.Combine(_folder, "nope.http");
        Assert.Equal($"{Cfg}:3: 'errorfile 503 nope.http': file '{path}' not found", Assert.Single(errors));
    }

    [Fact]
    public void Parse_UnsupportedCode_ListsCodes()
    {
        File.WriteAllText(Path.Combine(_folder, "e.http"), "HTTP/1.1 418 Teapot\r\n\r\n");

        var errors = Errors(WithFrontendLine("errorfile 418 e.http"));

        Assert.Equal(
            $"{Cfg}:3: 'errorfile 418 e.http': status code '418' is not supported; use one of 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501, 502, 503, 504",
            Assert.Single(errors));
    }

    [Theory]
    [InlineData("<html>busy</html>", "no blank line ends the headers")]
    [InlineData("busy\r\n\r\n", "the first line 'busy' is not a status line such as 'HTTP/1.1 503 Service Unavailable'")]
    [InlineData("HTTP/1.1 503 Busy\r\nno colon\r\n\r\n", "'no colon' is not a header line such as 'Content-Type: text/html'")]
    public void Parse_InvalidResponse_ReportsProblem(string content, string problem)
    {
        File.WriteAllText(Path.Combine(_folder, "e.http"), content);

        var errors = Errors(WithFrontendLine("errorfile 503 e.http"));

        Assert.Equal($"{Cfg}:3: 'errorfile 503 e.http': invalid HTTP response in file 'e.http': {problem}", Assert.Single(errors));
    }

    [Fact]
    public void Parse_FileOver16KiB_ReportsLimit()
    {
        File.WriteAllText(Path.Combine(_folder, "e.http"), "HTTP/1.1 503 Busy\r\n\r\n" + new string('x', 16 * 1024));

        var errors = Errors(WithFrontendLine("errorfile 503 e.http"));

        var path = Path.Combine(_folder, "e.http");
        Assert.Equal($"{Cfg}:3: 'errorfile 503 e.http': file '{path}' is too large: {16 * 1024 + 21} bytes, max 16384", Assert.Single(errors));
    }

    [Fact]
    public void Parse_WrongArgumentCount_ShowsExample()
    {
        var errors = Errors(WithFrontendLine("errorfile 503"));

        Assert.Equal($"{Cfg}:3: 'errorfile' expects a status code and a file, such as 'errorfile 503 errors/503.http', got '503'", Assert.Single(errors));
    }

    [Fact]
    public void Parse_AllBackupsInFrontend_IsRejected()
    {
        var errors = Errors(WithFrontendLine("option allbackups"));

        Assert.Equal($"{Cfg}:3: 'option allbackups' is not allowed in a 'frontend' section; it belongs in defaults, backend", Assert.Single(errors));
    }
}
