package dev.compliance.cli.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Which instance holds what, so that any instance answers for any org: the owner of an org's stores, and
 * the other instances (for the lists every instance holds a part of).
 */
interface Owners {

    /** The base URI of the instance that holds the org, or empty when it is this one. */
    Optional<URI> ownerOf(String orgId);

    /** The base URIs of every other instance of the application. */
    List<URI> others();

    /** A single instance: everything is here. */
    Owners ALONE = new Owners() {
        @Override
        public Optional<URI> ownerOf(String orgId) {
            return Optional.empty();
        }

        @Override
        public List<URI> others() {
            return List.of();
        }
    };
}
