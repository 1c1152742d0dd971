using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gatehouse.Cli.Commands;

/// <summary>Console logging shared by the commands: one line per event, Information and above by default.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(minimum);
            builder.AddFilter("Microsoft", LogLevel.Warning);
            builder.AddFilter("OpenIddict", LogLevel.Warning);
            builder.AddFilter("Yarp", LogLevel.Warning);
            builder.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
                console.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        });

    /// <summary>Finds the repository's examples folder by walking up from the current directory and the program's folder.</summary>
    public static string? FindExamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples");
                if (File.Exists(Path.Combine(candidate, "haproxy.cfg")) && File.Exists(Path.Combine(candidate, "edge.toml")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
