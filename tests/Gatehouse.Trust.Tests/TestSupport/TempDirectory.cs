namespace Gatehouse.Trust.Tests.TestSupport;

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "gatehouse-trust-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A path inside the root that does not exist yet.</summary>
    public string KeyDirectory => Path.Combine(Root, "keys");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files do not affect other tests, which use their own directories.
        }
    }
}
