/**
 * The {@code spdiff} command line: the subcommand table ({@link org.spdiff.pipelines.cli.Spdiff}),
 * option parsing with Beam's conventions and generated {@code --help} ({@link
 * org.spdiff.pipelines.cli.CliOptions}).
 */
package org.spdiff.pipelines.cli;
