<?php
/**
 * `[churchhub_booking username="zack" event="30min" mode="popup" label="…"]`, for the classic
 * editor and page builders: the block's attributes, with `brand-color` spelled as on the element.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

function register_shortcode() {
	add_shortcode( 'churchhub_booking', __NAMESPACE__ . '\\render_shortcode' );
}

/**
 * @param array|string $atts Attributes as WordPress parsed them ('' when there are none).
 * @return string HTML.
 */
function render_shortcode( $atts ) {
	return render_calendar( is_array( $atts ) ? $atts : array() );
}
