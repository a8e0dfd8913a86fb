package io.sparkzero.driver.data;

/**
 * An IDX data set: an images file and its labels file, each plain or gzipped, on any Hadoop file
 * system.
 *
 * @param imagesUri the {@code idx3} images file
 * @param labelsUri the {@code idx1} labels file, or {@value #NO_LABELS}: images only, for
 *     {@code prune}'s label-free metrics (a labels file named {@code none} is given as {@code ./none})
 * @param numClasses labels must be below this
 */
public record IdxSpec(String imagesUri, String labelsUri, int numClasses)
    implements DataSpec, java.io.Serializable {

  /** The labels "file" of images without labels: {@code labels=none} in the data spec. */
  public static final String NO_LABELS = "none";

  /** Validates the fields. */
  public IdxSpec {
    DataSpecParser.requireUri(imagesUri, "images");
    DataSpecParser.requireUri(labelsUri, "labels");
    DataSpecParser.requireClasses(numClasses);
  }

  /** Images file with the derived labels file and {@value DataSpec#DEFAULT_NUM_CLASSES} classes. */
  public static IdxSpec of(String imagesUri) {
    return new IdxSpec(imagesUri, labelsUriFor(imagesUri), DEFAULT_NUM_CLASSES);
  }

  /**
   * The labels file that sits next to an images file by the MNIST naming convention: {@code
   * images-idx3} becomes {@code labels-idx1} in the file name (also {@code images.idx3}), so
   * {@code train-images-idx3-ubyte.gz} pairs with {@code train-labels-idx1-ubyte.gz}.
   *
   * @throws IllegalArgumentException when the name does not follow the convention
   */
  public static String labelsUriFor(String imagesUri) {
    int nameStart = imagesUri.lastIndexOf('/') + 1;
    String name = imagesUri.substring(nameStart);
    for (String separator : new String[] {"-", "."}) {
      String images = "images" + separator + "idx3";
      int at = name.lastIndexOf(images);
      if (at >= 0) {
        String labels = name.substring(0, at) + "labels" + separator + "idx1"
            + name.substring(at + images.length());
        return imagesUri.substring(0, nameStart) + labels;
      }
    }
    throw new IllegalArgumentException("cannot derive the labels file from the images file name '"
        + name + "' (" + imagesUri + "): it does not contain 'images-idx3'; give the labels file"
        + " explicitly (labels=<uri> in the data spec, --labels on the command line)");
  }

  @Override
  public boolean labeled() {
    return !labelsUri.equals(NO_LABELS);
  }

  @Override
  public Format format() {
    return Format.IDX;
  }
}
