namespace GradClip.Tensors;

/// <summary>
/// Where each im2col column comes from: the windows of a square kernel sliding over a batch of padded images, one row
/// per output position (batch, y, x), one column per (channel, ky, kx).
/// </summary>
internal sealed class PatchGeometry
{
    private readonly int _channels;
    private readonly int _height;
    private readonly int _width;
    private readonly int _kernel;
    private readonly int _stride;
    private readonly int _padding;
    private readonly int _outHeight;
    private readonly int _outWidth;

    /// <summary>The geometry of a (batch, channels, height, width) input under the given kernel, stride and padding.</summary>
    public PatchGeometry(int batch, int channels, int height, int width, int kernel, int stride, int padding)
    {
        (_outHeight, _outWidth) = Tensor.ConvolvedSize(height, width, kernel, stride, padding);
        (_channels, _height, _width, _kernel, _stride, _padding) = (channels, height, width, kernel, stride, padding);
        Rows = batch * _outHeight * _outWidth;
        RowLength = channels * kernel * kernel;
    }

    /// <summary>The number of output positions, batch·outHeight·outWidth.</summary>
    public int Rows { get; }

    /// <summary>The values a window sees, channels·kernel·kernel.</summary>
    public int RowLength { get; }

    /// <summary>Copies every window of <paramref name="images"/> into its row of <paramref name="columns"/> (padding left as it is: zero).</summary>
    /// <remarks><paramref name="images"/> is only read.</remarks>
    public void Gather(Span<float> images, Span<float> columns) => Walk(images, columns, scatter: false);

    /// <summary>Adds every column of <paramref name="columns"/> back into the pixel it was read from (col2im).</summary>
    /// <remarks><paramref name="columns"/> is only read.</remarks>
    public void Scatter(Span<float> columns, Span<float> images) => Walk(images, columns, scatter: true);

    /// <summary>Visits every (row, column) that lies over a pixel, copying the pixel into the column or adding the column into it.</summary>
    private void Walk(Span<float> images, Span<float> columns, bool scatter)
    {
        int imageSize = _channels * _height * _width;
        for (int row = 0; row < Rows; row++)
        {
            int x = row % _outWidth;
            int y = row / _outWidth % _outHeight;
            int imageStart = row / (_outWidth * _outHeight) * imageSize;
            int column = row * RowLength;
            for (int channel = 0; channel < _channels; channel++)
            {
                int planeStart = imageStart + channel * _height * _width;
                for (int ky = 0; ky < _kernel; ky++)
                {
                    int pixelY = y * _stride - _padding + ky;
                    for (int kx = 0; kx < _kernel; kx++, column++)
                    {
                        int pixelX = x * _stride - _padding + kx;
                        if ((uint)pixelY >= (uint)_height || (uint)pixelX >= (uint)_width)
                        {
                            continue;
                        }
                        int pixel = planeStart + pixelY * _width + pixelX;
                        if (scatter)
                        {
                            images[pixel] += columns[column];
                        }
                        else
                        {
                            columns[column] = images[pixel];
                        }
                    }
                }
            }
        }
    }
}
