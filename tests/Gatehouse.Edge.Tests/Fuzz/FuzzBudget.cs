using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;

namespace Gatehouse.Edge.Tests.Fuzz;

/// <summary>
/// Runs a property for a bounded number of cases. GATEHOUSE_FUZZ_ITERATIONS sets the cases per run and
/// GATEHOUSE_FUZZ_SECONDS repeats runs, each with a new seed, until that many seconds have passed.
/// </summary>
internal static class FuzzBudget
{
    /// <summary>Longest time one case may take before the property fails as a hang.</summary>
    public static readonly TimeSpan CaseDeadline = TimeSpan.FromSeconds(10);

    public static void Check<T>(Arbitrary<T> cases, Action<T> property, int defaultIterations)
    {
        var iterations = ReadPositive("GATEHOUSE_FUZZ_ITERATIONS") ?? defaultIterations;
        var seconds = ReadPositive("GATEHOUSE_FUZZ_SECONDS") ?? 0;
        var config = Config.QuickThrowOnFailure.WithMaxTest(iterations).WithQuietOnSuccess(true);
        var stopwatch = Stopwatch.StartNew();
        do
        {
            FsCheck.Check.One(config, Prop.ForAll(cases, property));
        }
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Runs <paramref name="action"/> on the thread pool and fails when it outlives <see cref="CaseDeadline"/>.</summary>
    public static T WithDeadline<T>(Func<T> action, string input)
    {
        var task = Task.Run(action);
        // WhenAny never throws, so a case that throws reaches GetResult below with its own exception.
        if (Task.WhenAny(task, Task.Delay(CaseDeadline)).GetAwaiter().GetResult() != task)
        {
            throw new TimeoutException($"case did not finish within {CaseDeadline.TotalSeconds} s; input ({input.Length} chars): {Preview(input)}");
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Shows the start of an input with control characters escaped, for failure messages.</summary>
    public static string Preview(string input)
    {
        var head = input.Length > 2000 ? input[..2000] + "..." : input;
        return string.Concat(head.Select(c => char.IsControl(c) && c != '\n' ? $"\\u{(int)c:x4}" : c.ToString()));
    }

    private static int? ReadPositive(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : null;
}
