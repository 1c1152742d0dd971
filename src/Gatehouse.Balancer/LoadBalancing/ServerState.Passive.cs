using Gatehouse.Balancer.Configuration;

namespace Gatehouse.Balancer.LoadBalancing;

/// <summary>What one observed request did to a server's health under `observe`.</summary>
internal enum PassiveVerdict
{
    /// <summary>The error count changed, or nothing did.</summary>
    None,

    /// <summary>`on-error` applied and the server is still UP.</summary>
    ActionApplied,

    /// <summary>`on-error` applied and marked the server DOWN.</summary>
    MarkedDown,
}

/// <summary>Passive health: consecutive traffic errors and the `on-error` action, applied to the check health counter.</summary>
internal sealed partial class ServerState
{
    private int _consecutiveErrors;
    private long _passiveFailures;
    private TaskCompletionSource _fastCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Times `on-error` applied, HAProxy's `hanafail` stats column.</summary>
    public long PassiveFailures => Interlocked.Read(ref _passiveFailures);

    /// <summary>Completes when passive health asks for the next check to run after `fastinter`.</summary>
    public Task FastCheckRequested => Volatile.Read(ref _fastCheck).Task;

    /// <summary>Clears a completed <see cref="FastCheckRequested"/> so the next request can be seen.</summary>
    public void ResetFastCheck()
    {
        var current = Volatile.Read(ref _fastCheck);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _fastCheck, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    /// <summary>
    /// Counts one observed request: a success resets the consecutive errors; the error that reaches `error-limit`
    /// resets them and applies `on-error`. Traffic never raises the health counter, so only checks bring a server UP.
    /// </summary>
    public PassiveVerdict ObserveTraffic(bool failed, PassiveHealthSettings passive)
    {
        var check = Config.Check!;
        lock (_healthLock)
        {
            if (!failed)
            {
                _consecutiveErrors = 0;
                return PassiveVerdict.None;
            }

            if (++_consecutiveErrors < passive.ErrorLimit)
            {
                return PassiveVerdict.None;
            }

            _consecutiveErrors = 0;
            Interlocked.Increment(ref _passiveFailures);
            var verdict = _up ? ApplyOnError(passive.OnError, check) : PassiveVerdict.ActionApplied;
            Volatile.Read(ref _fastCheck).TrySetResult();
            return verdict;
        }
    }

    // Mirrors HAProxy 2.6: sudden-death leaves health at rise + 1 before the failed check, so one more failed
    // check marks the server DOWN; mark-down leaves it at rise, so the failed check marks it DOWN now.
    private PassiveVerdict ApplyOnError(OnErrorAction action, ServerCheckSettings check)
    {
        switch (action)
        {
            case OnErrorAction.FastInterval:
                return PassiveVerdict.ActionApplied;
            case OnErrorAction.SuddenDeath:
                _health = Math.Min(_health, check.Rise + 1);
                break;
            case OnErrorAction.MarkDown:
                _health = check.Rise;
                break;
        }

        return FailHealthLocked(check) ? PassiveVerdict.MarkedDown : PassiveVerdict.ActionApplied;
    }

    /// <summary>Counts one failed check on an UP server; returns true when that marks it DOWN. The caller holds the lock.</summary>
    private bool FailHealthLocked(ServerCheckSettings check)
    {
        if (_health > check.Rise)
        {
            _health--;
            return false;
        }

        _health = 0;
        _up = false;
        Volatile.Write(ref _lastChange, Environment.TickCount64);
        return true;
    }
}
