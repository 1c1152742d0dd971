using System.Globalization;
using Gatehouse.Edge.Compute.Configuration;

namespace Gatehouse.Edge.Configuration;

/// <summary>
/// Reads the guest keys of a <c>[[routes]]</c> section with kind = "guest": <c>package</c> (a folder holding
/// fastly.toml and bin/main.wasm) or <c>wasm</c> with an optional <c>fastly_toml</c>, <c>auth</c>, and the
/// limits <c>cpu</c>, <c>heap</c> and <c>backend_requests</c>.
/// </summary>
internal static class GuestRouteReader
{
    private const long MiB = 1024 * 1024;

    public static GuestRoute? Read(SectionReader reader, string prefix, string baseDirectory)
    {
        var package = reader.String("package");
        var wasm = reader.String("wasm");
        var fastlyToml = reader.String("fastly_toml");
        var auth = reader.String("auth", "none");
        var cpu = reader.Duration("cpu", TimeSpan.FromMilliseconds(50));
        var heap = ReadHeap(reader, prefix);
        var backendRequests = (int)reader.Integer("backend_requests", 32, 0, 1000);
        if (auth is not ("none" or "token"))
        {
            reader.Error(reader.LineOf("auth"), $"key 'auth' in guest route \"{prefix}\" must be \"none\" or \"token\"; got \"{auth}\"");
        }

        if (cpu < TimeSpan.FromMilliseconds(1) || cpu > TimeSpan.FromMinutes(2))
        {
            reader.Error(reader.LineOf("cpu"), $"key 'cpu' in guest route \"{prefix}\" must be from \"1ms\" to \"2m\"; got {cpu.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
        }

        var paths = ResolvePaths(reader, prefix, baseDirectory, package, wasm, fastlyToml);
        if (paths is null)
        {
            return null;
        }

        return new GuestRoute
        {
            WasmPath = paths.Value.Wasm,
            FastlyTomlPath = paths.Value.FastlyToml,
            RequiresToken = auth == "token",
            CpuTime = cpu,
            HeapBytes = heap,
            MaxBackendRequests = backendRequests,
        };
    }

    private static (string Wasm, string? FastlyToml)? ResolvePaths(
        SectionReader reader, string prefix, string baseDirectory, string? package, string? wasm, string? fastlyToml)
    {
        if ((package is null) == (wasm is null))
        {
            reader.Error(reader.Line, $"guest route \"{prefix}\" needs exactly one of 'package' (a folder with fastly.toml and bin/main.wasm) or 'wasm' (a file)");
            return null;
        }

        if (package is not null && fastlyToml is not null)
        {
            reader.Error(reader.LineOf("fastly_toml"), $"key 'fastly_toml' in guest route \"{prefix}\" only goes with 'wasm'; a package uses its own fastly.toml");
            return null;
        }

        string wasmPath;
        string? tomlPath;
        var key = package is null ? "wasm" : "package";
        if (package is not null)
        {
            var folder = Path.GetFullPath(package, baseDirectory);
            wasmPath = Path.Combine(folder, "bin", "main.wasm");
            tomlPath = Path.Combine(folder, "fastly.toml");
            if (!File.Exists(tomlPath))
            {
                reader.Error(reader.LineOf("package"), $"guest route \"{prefix}\": \"{tomlPath}\" not found; 'package' must be a Fastly Compute package folder");
                return null;
            }
        }
        else
        {
            wasmPath = Path.GetFullPath(wasm!, baseDirectory);
            tomlPath = fastlyToml is null ? null : Path.GetFullPath(fastlyToml, baseDirectory);
            if (tomlPath is not null && !File.Exists(tomlPath))
            {
                reader.Error(reader.LineOf("fastly_toml"), $"guest route \"{prefix}\": \"{tomlPath}\" not found; fix 'fastly_toml'");
                return null;
            }
        }

        // A package's bin/main.wasm is a build output: `gatehouse up` builds it, and start-up reports it
        // missing, so `gatehouse check` can validate a fresh checkout before anything is built.
        if (package is null && !File.Exists(wasmPath))
        {
            reader.Error(reader.LineOf(key), $"guest route \"{prefix}\": \"{wasmPath}\" not found; build it first, for example with `npx js-compute-runtime src/index.js bin/main.wasm` in the package folder");
            return null;
        }

        if (tomlPath is not null && !ValidFastlyToml(reader, prefix, tomlPath, key))
        {
            return null;
        }

        return (wasmPath, tomlPath);
    }

    private static bool ValidFastlyToml(SectionReader reader, string prefix, string path, string key)
    {
        try
        {
            FastlyToml.Load(path);
            return true;
        }
        catch (FastlyTomlException exception)
        {
            foreach (var problem in exception.Errors)
            {
                reader.Error(reader.LineOf(key), $"guest route \"{prefix}\": {problem}");
            }

            return false;
        }
    }

    private static long ReadHeap(SectionReader reader, string prefix)
    {
        var text = reader.String("heap");
        if (text is null)
        {
            return 128 * MiB;
        }

        var trimmed = text.Trim();
        var unit = trimmed.EndsWith("MiB", StringComparison.Ordinal) ? 3 : trimmed.EndsWith("MB", StringComparison.Ordinal) ? 2 : 0;
        if (unit > 0 && long.TryParse(trimmed[..^unit], NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes)
            && megabytes is >= 1 and <= 4096)
        {
            return megabytes * MiB;
        }

        reader.Error(reader.LineOf("heap"), $"key 'heap' in guest route \"{prefix}\" must be a size from \"1MB\" to \"4096MB\" (MB means MiB here); got \"{text}\"");
        return 128 * MiB;
    }
}
