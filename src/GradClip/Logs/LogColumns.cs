using System.Text.RegularExpressions;
using GradClip.Metrics;

namespace GradClip.Logs;

/// <summary>
/// Decides what each column of a step log holds, from the names the user gave (<see cref="LogOptions"/>) or else from
/// the names that Lightning, Hugging Face, Keras, PyTorch scripts and GradClip use, so that one reader serves them all.
/// </summary>
internal sealed partial class LogColumns
{
    private static readonly string[] StepNames = ["step", "global_step", "trainer/global_step", "train/global_step", "iteration", "iter", "steps"];
    private static readonly string[] EpochNames = ["epoch", "train/epoch", "epochs"];
    private static readonly string[] LossNames = ["loss", "train_loss", "train/loss", "train_loss_step", "loss_step", "training_loss", "train/loss_step"];
    private static readonly string[] NormNames =
        ["grad_norm", "grad_norm_before", "grad_2.0_norm_total", "grad_2.0_norm_total_step", "grad_norm_total", "total_grad_norm",
        "gradient_norm", "grad_norm_before_clip", "grad_norm_before_clipping", "train/grad_norm", "norm_before", "total_norm"];
    private static readonly string[] NormAfterNames =
        ["grad_norm_after", "grad_norm_after_clip", "grad_norm_after_clipping", "grad_norm_clipped", "clipped_grad_norm", "norm_after"];
    private static readonly string[] LearningRateNames = ["lr", "learning_rate", "train/learning_rate", "train/lr"];
    private static readonly string[] EpochLossNames = ["train_loss_epoch", "loss_epoch", "train/loss_epoch"];
    private static readonly string[] ValLossNames = ["val_loss", "val/loss", "valid_loss", "validation_loss", "eval_loss", "val_loss_epoch", "val/loss_epoch"];
    private static readonly string[] ValAccuracyNames =
        ["val_accuracy", "val_acc", "val/acc", "val/accuracy", "valid_acc", "validation_accuracy", "eval_accuracy", "val_acc_epoch", "val/acc_epoch"];

    private readonly Dictionary<string, ColumnRole> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _layerOf = new(StringComparer.Ordinal);
    private readonly List<string> _layers = [];
    private readonly ColumnRole[] _byIndex;

    private LogColumns(IReadOnlyList<string> names)
    {
        _byIndex = new ColumnRole[names.Count];
    }

    /// <summary>The layers whose gradient norms the log holds, in column order.</summary>
    public IReadOnlyList<string> Layers => _layers;

    /// <summary>The column chosen for <paramref name="role"/>, or null when the log has none.</summary>
    public string? NameOf(ColumnRole role) => _roles.FirstOrDefault(r => r.Value == role).Key;

    /// <summary>What column <paramref name="index"/> (in the order given to <see cref="Choose"/>) holds.</summary>
    public ColumnRole RoleAt(int index) => _byIndex[index];

    /// <summary>
    /// What the column <paramref name="name"/> holds; a name first seen now (a JSON key of a later line) is classified
    /// for the epoch-level roles, as those come on their own lines (evaluations).
    /// </summary>
    public ColumnRole RoleOf(string name)
    {
        if (!_roles.TryGetValue(name, out var role))
        {
            role = EpochLevelRole(name, taken: _roles.Values.ToHashSet());
            _roles[name] = role;
        }
        return role;
    }

    /// <summary>The layer whose norm column <paramref name="name"/> holds.</summary>
    public string LayerOf(string name) => _layerOf[name];

    /// <summary>
    /// Assigns a role to each of <paramref name="names"/>: the user's choices first (each must be one of the names; the error
    /// names the option and the columns seen), then the best-known names, then names that contain the figure's words.
    /// </summary>
    /// <remarks><paramref name="layers"/> are layers whose norms come under their own names (a nested object), not as columns.</remarks>
    public static LogColumns Choose(IReadOnlyList<string> names, LogOptions options, string file, bool epochLevel = false, IReadOnlyList<string>? layers = null)
    {
        var columns = new LogColumns(names);
        columns._layers.AddRange(layers ?? []);
        var taken = new HashSet<ColumnRole>();
        columns.Take(names, ColumnRole.Step, options.StepColumn, "--step-column", file, taken);
        columns.Take(names, ColumnRole.Loss, options.LossColumn, "--loss-column", file, taken);
        columns.Take(names, ColumnRole.NormBefore, options.NormColumn, "--norm-column", file, taken);
        columns.Take(names, ColumnRole.NormAfter, options.NormAfterColumn, "--norm-after-column", file, taken);
        if (!epochLevel)
        {
            columns.Guess(names, ColumnRole.Step, StepNames, _ => false, taken);
            columns.Guess(names, ColumnRole.NormAfter, NormAfterNames, IsNormAfter, taken);
            columns.Guess(names, ColumnRole.NormBefore, NormNames, IsNormBefore, taken);
            columns.Guess(names, ColumnRole.Loss, LossNames, IsStepLoss, taken);
            columns.Guess(names, ColumnRole.LearningRate, LearningRateNames, IsLearningRate, taken);
        }
        columns.Guess(names, ColumnRole.Epoch, EpochNames, _ => false, taken);
        if (epochLevel)
        {
            columns.Guess(names, ColumnRole.EpochLoss, ["loss", "train_loss", .. EpochLossNames], _ => false, taken);
        }
        foreach (string name in names)
        {
            if (columns._roles.ContainsKey(name))
            {
                continue;
            }
            if (!epochLevel && LayerName(name) is { } layer && !columns._layers.Contains(layer))
            {
                columns._roles[name] = ColumnRole.LayerNorm;
                columns._layerOf[name] = layer;
                columns._layers.Add(layer);
                continue;
            }
            var role = EpochLevelRole(name, taken);
            columns._roles[name] = role;
            taken.Add(role is ColumnRole.Metric or ColumnRole.None ? ColumnRole.None : role);
        }
        for (int i = 0; i < names.Count; i++)
        {
            columns._byIndex[i] = columns._roles.GetValueOrDefault(names[i]);
        }
        return columns;
    }

    private void Take(IReadOnlyList<string> names, ColumnRole role, string? given, string option, string file, HashSet<ColumnRole> taken)
    {
        if (given is null)
        {
            return;
        }
        if (!names.Contains(given, StringComparer.Ordinal))
        {
            throw new LogFormatException(file, $"{option} '{given}': the log has no such column; it has {Seen(names)}.");
        }
        _roles[given] = role;
        taken.Add(role);
    }

    private void Guess(IReadOnlyList<string> names, ColumnRole role, string[] known, Func<string, bool> looksLike, HashSet<ColumnRole> taken)
    {
        if (taken.Contains(role))
        {
            return;
        }
        string? chosen = known.FirstOrDefault(k => names.Contains(k, StringComparer.OrdinalIgnoreCase) && !_roles.ContainsKey(Actual(names, k)));
        chosen = chosen is null ? names.FirstOrDefault(n => !_roles.ContainsKey(n) && looksLike(n.ToLowerInvariant())) : Actual(names, chosen);
        if (chosen is not null)
        {
            _roles[chosen] = role;
            taken.Add(role);
        }
    }

    /// <summary>The names as a message lists them.</summary>
    public static string Seen(IEnumerable<string> names)
    {
        var list = names.Take(40).Select(n => $"'{n}'").ToList();
        return list.Count == 0 ? "no columns" : string.Join(", ", list) + (names.Skip(40).Any() ? ", …" : "");
    }

    private static string Actual(IReadOnlyList<string> names, string known) => names.First(n => n.Equals(known, StringComparison.OrdinalIgnoreCase));

    private static ColumnRole EpochLevelRole(string name, HashSet<ColumnRole> taken)
    {
        string lower = name.ToLowerInvariant();
        if (!taken.Contains(ColumnRole.ValLoss) && (ValLossNames.Contains(lower) || IsValidation(lower) && lower.Contains("loss", StringComparison.Ordinal)))
        {
            return ColumnRole.ValLoss;
        }
        if (!taken.Contains(ColumnRole.ValAccuracy) && (ValAccuracyNames.Contains(lower) || IsValidation(lower) && lower.Contains("acc", StringComparison.Ordinal)))
        {
            return ColumnRole.ValAccuracy;
        }
        if (!taken.Contains(ColumnRole.EpochLoss) && EpochLossNames.Contains(lower))
        {
            return ColumnRole.EpochLoss;
        }
        bool figure = lower.Contains("loss", StringComparison.Ordinal) || lower.Contains("acc", StringComparison.Ordinal)
            || lower.StartsWith("val", StringComparison.Ordinal) || lower.StartsWith("eval_", StringComparison.Ordinal)
            || TaskMetrics.Named(lower) is not null;
        bool bookkeeping = lower.StartsWith("test", StringComparison.Ordinal) || lower.Contains("runtime", StringComparison.Ordinal)
            || lower.Contains("per_second", StringComparison.Ordinal);
        return figure && !bookkeeping ? ColumnRole.Metric : ColumnRole.None;
    }

    private static bool IsValidation(string lower) =>
        lower.StartsWith("val", StringComparison.Ordinal) || lower.StartsWith("eval_", StringComparison.Ordinal);

    private static bool IsStepLoss(string lower) =>
        lower.Contains("loss", StringComparison.Ordinal) && !IsValidation(lower) && !lower.StartsWith("test", StringComparison.Ordinal)
        && !lower.EndsWith("_epoch", StringComparison.Ordinal);

    private static bool IsNormBefore(string lower) =>
        lower.Contains("grad", StringComparison.Ordinal) && lower.Contains("norm", StringComparison.Ordinal) && !lower.Contains('/')
        && !IsNormAfter(lower) && !lower.EndsWith("_epoch", StringComparison.Ordinal) && !IsValidation(lower);

    private static bool IsNormAfter(string lower) =>
        lower.Contains("grad", StringComparison.Ordinal) && lower.Contains("norm", StringComparison.Ordinal) && !lower.Contains('/')
        && (lower.Contains("after", StringComparison.Ordinal) || lower.Contains("clipped", StringComparison.Ordinal));

    private static bool IsLearningRate(string lower) =>
        lower.StartsWith("lr-", StringComparison.Ordinal) || lower.StartsWith("lr_", StringComparison.Ordinal) || lower.Contains("learning_rate", StringComparison.Ordinal);

    /// <summary>The layer of a per-layer norm column (Lightning's <c>grad_2.0_norm/layer.weight</c>), or null.</summary>
    private static string? LayerName(string name)
    {
        var match = LayerPattern().Match(name);
        if (!match.Success || name.EndsWith("_epoch", StringComparison.Ordinal))
        {
            return null;
        }
        string layer = match.Groups[1].Value;
        return layer.EndsWith("_step", StringComparison.Ordinal) ? layer[..^5] : layer;
    }

    [GeneratedRegex(@"^grad_(?:[0-9.]+_|inf_)?norm/(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerPattern();
}
