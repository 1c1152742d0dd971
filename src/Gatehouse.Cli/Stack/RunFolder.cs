using System.Text.Json;

namespace Gatehouse.Cli.Stack;

/// <summary>
/// The folder where a running stack keeps its state: assertion keys, decision records and the
/// addresses other commands (<c>gatehouse token</c>) need to reach it.
/// </summary>
internal sealed class RunFolder
{
    public RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>Default location: <c>.gatehouse</c> under the current directory.</summary>
    public static string DefaultRoot => Path.Combine(Directory.GetCurrentDirectory(), ".gatehouse");

    public string Root { get; }

    public string KeyDirectory => Path.Combine(Root, "keys");

    public string IssuerKeyDirectory => Path.Combine(Root, "issuer-keys");

    /// <summary>
    /// Creates, if needed, and returns the folder of compiled guest modules. It is shared by every run folder
    /// of this user, so a second <c>gatehouse up</c> with another <c>--run-dir</c> skips the compile (20 s or
    /// more for a JS guest). Entries are keyed by the module's SHA-256 and the Wasmtime version.
    /// </summary>
    /// <remarks>
    /// Loading a cached module runs its native code, so the folder belongs to the user (mode 0700):
    /// <c>$GATEHOUSE_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/gatehouse/wasm</c>, else <c>~/.cache/gatehouse/wasm</c>.
    /// </remarks>
    public static string CreateGuestCacheDirectory()
    {
        var path = Environment.GetEnvironmentVariable("GATEHOUSE_CACHE_DIR");
        if (string.IsNullOrEmpty(path))
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var cacheRoot = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            path = Path.Combine(cacheRoot, "gatehouse", "wasm");
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public string EdgeDecisionLog => Path.Combine(Root, "run", "edge-decisions.jsonl");

    public string BalancerDecisionLog => Path.Combine(Root, "run", "balancer-decisions.jsonl");

    public string StateFile => Path.Combine(Root, "run", "state.json");

    public void WriteState(StackState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
        File.WriteAllText(StateFile, JsonSerializer.Serialize(state, StackStateJson.Default.StackState));
    }

    /// <summary>Reads the state of the stack that <c>gatehouse up</c> started, or null when none is recorded.</summary>
    public StackState? ReadState()
    {
        if (!File.Exists(StateFile))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(StateFile), StackStateJson.Default.StackState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void DeleteState() => File.Delete(StateFile);

    /// <summary>
    /// Takes the run folder's lock so two stacks never share keys, records and state; returns null
    /// when another process holds it. The lock is released when the returned handle is disposed or the
    /// process exits.
    /// </summary>
    public IDisposable? TryLock()
    {
        var path = Path.Combine(Root, "run", "lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // FileShare.None takes an exclusive advisory lock on Unix, so a second process gets IOException.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Addresses of a running stack, written by <c>gatehouse up</c> for the other commands.</summary>
/// <summary>What <c>gatehouse up</c> records in run/state.json for the other commands; EdgeMetricsUrl is null without an edge metrics listener.</summary>
internal sealed record StackState(string EdgeUrl, string BalancerUrl, string IssuerUrl, int ProcessId, string? EdgeMetricsUrl = null);

[System.Text.Json.Serialization.JsonSerializable(typeof(StackState))]
internal sealed partial class StackStateJson : System.Text.Json.Serialization.JsonSerializerContext;
