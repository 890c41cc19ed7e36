namespace GradClip.Cli.Tests.Packaging;

/// <summary>The tests that share one packing of the packages.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Packed packages";
}
