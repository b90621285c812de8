<?php
/**
 * What WordPress loads before block/editor.js (a build tool would write this file; the editor
 * script is written by hand against the `wp.*` globals, so it is written by hand too).
 *
 * @package ChurchHubBooking
 */

return array(
	'dependencies' => array( 'wp-block-editor', 'wp-blocks', 'wp-components', 'wp-element', 'wp-i18n' ),
	'version'      => '0.1.0',
);
