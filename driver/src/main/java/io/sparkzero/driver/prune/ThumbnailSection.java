package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.Selection;
import io.sparkzero.report.GreyImage;
import io.sparkzero.report.HtmlReport;
import io.sparkzero.report.ImageStrip;
import io.sparkzero.report.Section;
import java.util.Locale;

/**
 * The report's thumbnails: for each class a row of its easiest, its hardest and its most
 * ambiguous examples as small grey images, the kept ones bordered. Looking at them is the quickest
 * check of what a metric calls hard: outliers and mislabelled examples, or merely unusual ones.
 */
final class ThumbnailSection {
  private ThumbnailSection() {}

  /**
   * Adds the section to {@code page}.
   *
   * @param margins each row's ambiguity margin, or null (see {@link PruneScores#margins})
   */
  static void add(HtmlReport page, ExampleScores scores, double[] margins, Selection selection,
      Thumbnails thumbnails) {
    Section section = page.section("Easiest, hardest and most ambiguous examples");
    if (GreyImage.side(thumbnails.featureCount()) == 0) {
      section.note("The examples have " + thumbnails.featureCount() + " features, not a square grey image"
          + " (28 x 28 = 784, say), so they are not drawn.");
      return;
    }
    section.note("Per class: the lowest scores (easiest), the highest (hardest)"
        + (thumbnails.ambiguity() ? ", and the smallest margin between the distances to the nearest and the"
            + " second-nearest prototype (most ambiguous, on a cluster boundary)" : "")
        + ". A green border marks a kept example; hover an image for its id, score and whether it is kept."
        + (thumbnails.ambiguity() ? "" : " " + scores.metric() + " has no ambiguity measure (no clusters),"
            + " so there is no ambiguous row."));
    for (Thumbnails.ClassPicks picks : thumbnails.classes()) {
      String name = picks.label() == ExampleScores.UNLABELED ? "unlabelled" : "class " + picks.label();
      section.add(strip(name + ": easiest (lowest score)", picks.easiest(), scores, null, selection, thumbnails));
      section.add(strip(name + ": hardest (highest score)", picks.hardest(), scores, null, selection, thumbnails));
      if (thumbnails.ambiguity()) {
        section.add(strip(name + ": most ambiguous (smallest margin)", picks.ambiguous(), scores, margins,
            selection, thumbnails));
      }
    }
  }

  /** One row of images; a caption shows the score, or in the ambiguous row the margin. */
  private static ImageStrip strip(String title, int[] rows, ExampleScores scores, double[] margins,
      Selection selection, Thumbnails thumbnails) {
    ImageStrip strip = new ImageStrip(title);
    for (int i : rows) {
      long id = scores.id(i);
      float[] pixels = thumbnails.pixels().get(id);
      if (pixels == null) {
        continue; // not in the data any more: the outcome and the data disagree; draw the rest
      }
      boolean kept = selection.keeps(id);
      String score = number(scores.score(i));
      String caption = margins == null ? score : number(margins[i]);
      String tooltip = "id " + id + ", score " + score + (margins == null ? "" : ", margin " + number(margins[i]))
          + (kept ? ", kept" : ", pruned");
      strip.image(GreyImage.pngDataUri(pixels), caption, tooltip, kept);
    }
    return strip;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.3g", value);
  }
}
