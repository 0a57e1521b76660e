package dev.cria.data.source.github;

import dev.cria.data.Document;
import dev.cria.data.stage.DocumentStage;
import dev.cria.data.stage.Outcome;

/** Keeps files of repositories under an MIT, BSD or Apache licence (meta {@code license}, an SPDX id). */
public final class LicenseFilter implements DocumentStage {

    private static final long serialVersionUID = 1L;

    @Override
    public String name() {
        return "github_license";
    }

    @Override
    public Outcome apply(Document document) {
        Object license = document.meta().get("license");
        if (license == null || license.equals("unknown")) {
            return Outcome.drop("license_unknown");
        }
        return LicenseClassifier.isKept(license.toString()) ? Outcome.keep(document) : Outcome.drop("license_not_permissive");
    }
}
