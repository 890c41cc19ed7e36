namespace GradClip.Data;

/// <summary>What the target column asks a model to predict.</summary>
public enum TaskKind
{
    /// <summary>A class out of a fixed set: the target is a class index, the model outputs class scores.</summary>
    Classification,

    /// <summary>A real number: the target is a value, the model outputs one number per row.</summary>
    Regression,
}
