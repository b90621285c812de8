<?php
/**
 * The widget's script, from the configured server, once per page and only on pages that show a
 * calendar: queued while the calendar renders, printed by WordPress in the head (block themes,
 * which render content first) or the footer.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

const SCRIPT_ID   = 'churchhub-booking-widget';
const SCRIPT_PATH = '/widget/churchhub-booking.js';

/**
 * Queues the widget as an ES module. WordPress 6.5 has script modules; earlier versions get the
 * same `<script type="module">` through a classic handle whose tag is rewritten.
 *
 * @param string $server The booking server's address.
 */
function enqueue_widget_script( $server ) {
	$src = $server . SCRIPT_PATH;
	// No version query: the server revalidates the script itself, and every site shares one URL.
	if ( function_exists( 'wp_enqueue_script_module' ) ) {
		wp_enqueue_script_module( SCRIPT_ID, $src, array(), null );
		return;
	}
	if ( ! wp_script_is( SCRIPT_ID, 'registered' ) ) {
		wp_register_script( SCRIPT_ID, $src, array(), null, true );
		add_filter( 'script_loader_tag', __NAMESPACE__ . '\\module_script_tag', 10, 3 );
	}
	wp_enqueue_script( SCRIPT_ID );
}

/**
 * Turns the classic handle's tag into a module tag (WordPress before 6.5), through
 * `wp_get_script_tag` so the `wp_script_attributes` filter (CSP nonces) still applies.
 *
 * @param string $tag    The tag WordPress made.
 * @param string $handle The script's handle.
 * @param string $src    The script's URL.
 * @return string
 */
function module_script_tag( $tag, $handle, $src ) {
	if ( SCRIPT_ID !== $handle ) {
		return $tag;
	}
	return wp_get_script_tag(
		array(
			'type' => 'module',
			'src'  => $src,
			'id'   => SCRIPT_ID . '-js-module',
		)
	);
}
