namespace GradClip.Data;

/// <summary>What a CSV loader does with an empty feature cell.</summary>
public enum MissingValues
{
    /// <summary>Refuse the file, listing the empty cells (up to 20) by line and column.</summary>
    Error,

    /// <summary>Leave out every row that has an empty cell.</summary>
    Drop,

    /// <summary>Keep the cell as NaN, to be filled with its column's training mean by a <see cref="MeanImputer"/>.</summary>
    Mean,
}
