namespace Gatehouse.Balancer.Tests.Observability;

/// <summary>
/// Debian's Chromium run headless for tests that need a real browser. Linked into the end-to-end tests as well.
/// </summary>
internal static class HeadlessChromium
{
    /// <summary>Arguments every run starts with: no window, no GPU, and no sandbox, which needs a user namespace that CI lacks.</summary>
    public static readonly string[] BaseArguments = ["--headless", "--no-sandbox", "--disable-gpu"];

    /// <summary>Returns the path of the Chromium binary, failing the test with how to install it when it is missing.</summary>
    public static string Require()
    {
        string[] candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
        var found = candidates.FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            "Chromium is missing: install it with 'apt-get install -y chromium' (Debian) so pages can be checked in a real browser");
        return found!;
    }

    /// <summary>Runs Chromium with <paramref name="args"/> after <see cref="BaseArguments"/> and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string chromium, params string[] args) =>
        ChildProcess.RunAsync(chromium, BaseArguments.Concat(args));
}
